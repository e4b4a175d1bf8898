"""E2AP over ASN.1 aligned PER: ranpilot's own ASN.1 text for the subset of E2AP v03.01, E2SM
v03.01, E2SM-KPM v03.00 and E2SM-RC v01.03 it uses (`*.asn`), the codec (`codec`), the E2SM-KPM
and E2SM-RC payloads of ranpilot's messages (`e2sm_kpm`, `e2sm_rc`), the per-connection mapping
of ranpilot's E2 messages to E2AP PDUs (`session`) and E2 Setup (`setup`)."""
