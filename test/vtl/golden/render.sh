#!/usr/bin/env bash
# Renders every golden case file with real Apache Velocity 1.7 twice and writes the expected outputs next to it:
#   cases-X.json → cases-X.velocity.json  (plain Velocity 1.7: ../shared/tools/vtl-oracle/run vtl)
#                → cases-X.aws.json       (the same engine with API Gateway's null rendering: oracle/AwsModeOracle.java)
# Missing fields of a case are taken from defaults.json. Run from anywhere; needs the oracle's JDK (installed by it).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
oracle=${VTL_ORACLE:-$root/../shared/tools/vtl-oracle/run}
cp=/usr/share/java/velocity.jar:/usr/share/java/commons-collections3.jar:/usr/share/java/commons-lang.jar:/usr/share/java/json-path.jar:/usr/share/java/json-smart.jar:/usr/share/java/accessors-smart.jar:/usr/share/java/asm.jar:/usr/share/java/slf4j-api.jar:/usr/share/java/slf4j-nop.jar
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
classes=${TMPDIR:-/tmp}/vtl-oracle-classes
for f in "$here"/cases-*.json; do
  case "$f" in *.velocity.json|*.aws.json) continue ;; esac
  base=${f%.json}
  python3 - "$f" "$here/defaults.json" "$tmp/full.json" <<'PY'
import json, sys
cases = json.load(open(sys.argv[1])); d = json.load(open(sys.argv[2]))
out = []
for c in cases:
    full = dict(d); full.update(c); out.append(full)
json.dump(out, open(sys.argv[3], 'w'))
PY
  "$oracle" vtl "$tmp/full.json" "$base.velocity.json"
  mkdir -p "$tmp/aws"
  [ "$tmp/aws/AwsModeOracle.class" -nt "$here/oracle/AwsModeOracle.java" ] || javac -nowarn -cp "$cp:$classes" -d "$tmp/aws" "$here/oracle/AwsModeOracle.java"
  java -cp "$cp:$classes:$tmp/aws" AwsModeOracle "$tmp/full.json" "$base.aws.json"
  echo "rendered $(basename "$f")"
done
