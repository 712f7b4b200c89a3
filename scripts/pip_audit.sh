#!/usr/bin/env bash
# Audit the app's pinned dependencies (the packages installed in .venv, as pyproject pins them)
# with `pip-audit --strict` against PyPI's advisory data.
#
# - Every dependency audited, no known vulnerability: says so, exit 0.
# - A known vulnerability: pip-audit's report, exit 1.
# - The advisory service cannot be reached, or cannot answer for every dependency (a machine
#   whose only route out is a package mirror): says plainly that the dependencies were NOT
#   audited and why, exit 0 — unless AUDIT_REQUIRED=1, then exit 2. It never passes silently.
#
# pip-audit runs from a virtualenv of its own (its dependencies are not the app's).
set -uo pipefail
cd "$(dirname "$0")/.."

PIP_AUDIT_VERSION="2.10.1"
SERVICE_URL="https://pypi.org/pypi/pip/json"
TOOLS="${XDG_CACHE_HOME:-$HOME/.cache}/msmebazaar/pip-audit-${PIP_AUDIT_VERSION}"
APP_PYTHON=".venv/bin/python"

not_audited() {
  echo "pip-audit: DEPENDENCIES NOT AUDITED: $1"
  echo "pip-audit: run scripts/pip_audit.sh where pypi.org's JSON API answers to audit them."
  if [[ "${AUDIT_REQUIRED:-0}" == "1" ]]; then exit 2; fi
  exit 0
}

if [[ ! -x "$APP_PYTHON" ]]; then
  echo "pip-audit: no .venv here; run 'make dev' first" >&2
  exit 1
fi
if [[ ! -x "$TOOLS/bin/pip-audit" ]]; then
  python3 -m venv "$TOOLS" && "$TOOLS/bin/pip" install -q "pip-audit==${PIP_AUDIT_VERSION}" 2>/dev/null \
    || not_audited "pip-audit ${PIP_AUDIT_VERSION} could not be installed"
fi
if ! curl -fsS -m 10 -o /dev/null "$SERVICE_URL" 2>/dev/null; then
  not_audited "the advisory service (${SERVICE_URL%/pip/json}) cannot be reached from here"
fi

requirements="$(mktemp)"
report="$(mktemp)"
trap 'rm -f "$requirements" "$report"' EXIT
"$APP_PYTHON" -m pip --disable-pip-version-check freeze --exclude-editable > "$requirements"
count="$(grep -c '==' "$requirements")"

"$TOOLS/bin/pip-audit" --strict --requirement "$requirements" --no-deps --disable-pip \
  --progress-spinner off --timeout 15 > "$report" 2>&1
status=$?
if [[ $status -eq 0 ]]; then
  echo "pip-audit: no known vulnerabilities in the ${count} pinned dependencies"
  exit 0
fi
if grep -q "Found [0-9]* known vulnerabilit" "$report"; then
  cat "$report"
  exit 1
fi
reason="$(grep -m1 -E 'could not be audited|Error|error' "$report" | sed 's/^ERROR:[^ ]* //')"
not_audited "the advisory service could not answer for every dependency (${reason:-pip-audit exit ${status}})"
