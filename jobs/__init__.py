"""Job records (the ledger of accepted work), their store, and the dispatcher that runs them."""
