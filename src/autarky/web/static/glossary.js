// The glossary page is rendered on the server (from autarky.report.glossary); this only marks it ready.
import {start} from "./app.js";

start(async () => {
  if (window.location.hash) {
    const target = document.getElementById(window.location.hash.slice(1));
    if (target) target.classList.add("target");
  }
}, {usesEconomy: false});
