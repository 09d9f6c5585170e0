#!/usr/bin/env bash
# Failover after a stalled leader, with the service's settings (default lease 30 s, poll 5 s): two `serve`
# processes on one MySQL-family database; the leader is stopped with SIGSTOP until the other leads, then resumed
# with SIGCONT. Prints how long the other took to lead and how long the resumed one took to step down.
# Needs the jar (mvn -B -q package -DskipTests), curl, python3, bc and the `mysql` client; the database is made anew:
#   tools/stall-failover.sh [database]     (MYSQL_HOST, MYSQL_USER, MYSQL_PASSWORD as for the mysql client)
set -euo pipefail
DB=${1:-gp_stall}
HOST=${MYSQL_HOST:-127.0.0.1}
USER_=${MYSQL_USER:-root}
PASS=${MYSQL_PASSWORD:-}
JAR="$(cd "$(dirname "$0")/.." && pwd)/optimizer-service/target/optimizer-service.jar"
DATA=$(mktemp -d)
mysql -h"$HOST" -u"$USER_" ${PASS:+-p"$PASS"} -e "DROP DATABASE IF EXISTS $DB; CREATE DATABASE $DB"
export DATASOURCES_DEFAULT_URL="jdbc:mysql://$HOST:3306/$DB" DATASOURCES_DEFAULT_USERNAME="$USER_" \
  DATASOURCES_DEFAULT_PASSWORD="$PASS" GPUPLACER_DATA_DIR="$DATA"
MICRONAUT_SERVER_PORT=18081 java -jar "$JAR" serve > "$DATA/a.log" 2>&1 & A=$!
trap 'kill -CONT $A 2>/dev/null; kill $A ${B:-} 2>/dev/null; wait 2>/dev/null' EXIT
until curl -sf localhost:18081/health >/dev/null; do sleep 0.5; done
MICRONAUT_SERVER_PORT=18082 java -jar "$JAR" serve > "$DATA/b.log" 2>&1 & B=$!
until curl -sf localhost:18082/health >/dev/null; do sleep 0.5; done
TOKEN=$(cat "$DATA/admin.token")
leader() {
  curl -s --max-time 2 "localhost:$1/health" -H "Authorization: Bearer $TOKEN" | python3 -c \
    'import sys,json; d=json.load(sys.stdin)["details"]["replica"]["details"]; print(d["leader"], d["epoch"])' \
    2>/dev/null || echo "? ?"
}
echo "before: A leads/epoch $(leader 18081), B $(leader 18082)"
kill -STOP $A; stopped=$(date +%s.%N)
until [ "$(leader 18082 | cut -d' ' -f1)" = "True" ]; do sleep 0.2; done
led=$(date +%s.%N)
echo "B leads $(echo "$led - $stopped" | bc) s after A stopped (epoch $(leader 18082 | cut -d' ' -f2))"
kill -CONT $A; resumed=$(date +%s.%N)
until [ "$(leader 18081 | cut -d' ' -f1)" = "False" ]; do sleep 0.05; done
down=$(date +%s.%N)
echo "A says it no longer leads $(echo "$down - $resumed" | bc) s after it resumed; A $(leader 18081), B $(leader 18082)"
