"""`ranpilot serve`: one long-running process holding the agent, its models and knowledge store,
acting on the CLI's live network, with the TS 28.312 intent interface and the CLI's runs,
approvals, verification and network views as REST (`app`), with `--a1` the A1-P v2 service and the
ranpilot xApp on the same network and audit log (`a1`), and the client `ranpilot run` uses when
`RANPILOT_SERVICE_URL` is set (`client`; `remote_run` before the command tree loads)."""
