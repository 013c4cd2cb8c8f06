from autarky.cli.app import main

main()
