#!/usr/bin/env bash
# Rebuilds the console's embedded stylesheet from the pinned npm govuk-frontend (tools/package.json):
# installs the npm tools if needed, then regenerates shared/console/static/govuk-frontend.min.css.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/tools.sh npm-console
go test ./shared/console -run '^TestStylesheetIsCurrent$' -update -count=1
