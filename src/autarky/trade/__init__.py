"""Trade: BACI and Comtrade readers, HS revisions, strategic sectors, dependence indicators."""
