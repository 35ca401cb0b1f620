#!/usr/bin/env bash
# Prints the development settings scripts/run.sh appends to conf/govmail.conf for ROOT (the
# checkout): certificate login trusting the development GPKI CA under ROOT/var/gpki, and the
# portal's OnePass sign-in sent to the tests' identity provider (tests/support/saml_idp.py,
# keys under ROOT/var/dev-idp) on 127.0.0.1:IDP_PORT. Never use them in production.
#   scripts/dev-settings.sh ROOT [IDP_PORT [PORTAL_URL]]
set -euo pipefail
root=$1
idp_port=${2:-8444}
portal=${3:-https://127.0.0.1:8443}
cat <<EOT

# ---- development settings (scripts/dev-settings.sh; never use them in production) ----
[server]
var_dir = $root/var
[gpki]
ca_bundle = $root/var/gpki/ca.pem
[onepass]
idp_entity_id = http://127.0.0.1:$idp_port/dev-idp
sso_url = http://127.0.0.1:$idp_port/sso
idp_certificate = $root/var/dev-idp/idp.pem
sp_entity_id = $portal/saml/metadata
acs_url = $portal/saml/acs
EOT
