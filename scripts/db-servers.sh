#!/usr/bin/env bash
# Throw-away PostgreSQL and MariaDB servers for the dialect tests, run as root on Debian 12.
#
#   bash scripts/db-servers.sh start   # install if needed, start both, write $STATE_DIR/env.sh
#   . .tmp/db/env.sh                   # exports JETBASE_TEST_PG_URL and JETBASE_TEST_MYSQL_URL
#   bash scripts/db-servers.sh env     # prints env.sh (for eval)
#   bash scripts/db-servers.sh stop    # stops both by pid file and wipes their data; idempotent
#
# A server whose JETBASE_TEST_*_URL is already exported is not started: that URL is used as is.
# Settings: JETBASE_TEST_STATE_DIR (default <repo>/.tmp/db), JETBASE_TEST_PG_PORT (54329),
# JETBASE_TEST_MYSQL_PORT (33069); a busy port moves on to the next free one. start wipes the
# state dir first (it holds nothing but these servers), so point it at a directory of its own.
set -euo pipefail

REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE_DIR="${JETBASE_TEST_STATE_DIR:-$REPO_DIR/.tmp/db}"
ENV_FILE="$STATE_DIR/env.sh"

PG_DATA="$STATE_DIR/pg-data"
PG_SOCKET_DIR="$STATE_DIR/pg-run"
PG_LOG="$STATE_DIR/postgresql.log"
MY_DATA="$STATE_DIR/mariadb-data"
MY_RUN_DIR="$STATE_DIR/mariadb-run"
MY_SOCKET="$MY_RUN_DIR/mariadb.sock"
MY_PID_FILE="$MY_RUN_DIR/mariadb.pid"
MY_LOG="$STATE_DIR/mariadb.log"

# Special characters on purpose: the URLs must carry them percent-encoded.
DB_USER="jetbase"
PG_PASSWORD='p@ss:w/rd%'
MY_PASSWORD='my@ss:w/rd%#'
DB_NAME="jetbase_test"

WAIT_SECONDS=60

log() { printf 'db-servers: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

free_port() {
  local port="$1"
  while port_in_use "$port"; do port=$((port + 1)); done
  printf '%s' "$port"
}

elapsed() { printf '%d ms' $((($(date +%s%N) - $1) / 1000000)); }

percent_encode() { node -e 'process.stdout.write(encodeURIComponent(process.argv[1]))' "$1"; }

# Runs apt-get install without letting the packages start their own services (a Debian
# postgresql install would otherwise start a cluster on 5432, MariaDB one on 3306).
apt_install() {
  local policy=/usr/sbin/policy-rc.d added_policy=0
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy"
    chmod +x "$policy"
    added_policy=1
  fi
  log "installing $* (apt-get)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
  if ((added_policy)); then rm -f "$policy"; fi
}

pg_bin_dir() {
  local dir
  for dir in /usr/lib/postgresql/*/bin; do
    [[ -x $dir/pg_ctl && -x $dir/postgres ]] && { printf '%s' "$dir"; return 0; }
  done
  return 1
}

ensure_postgres_installed() {
  pg_bin_dir >/dev/null || apt_install postgresql
  pg_bin_dir >/dev/null || die "PostgreSQL binaries not found after installing postgresql"
  id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
}

ensure_mariadb_installed() {
  command -v mariadbd >/dev/null || [[ -x /usr/sbin/mariadbd ]] || apt_install mariadb-server
  [[ -x /usr/sbin/mariadbd ]] || command -v mariadbd >/dev/null || die "mariadbd not found after installing mariadb-server"
  id mysql >/dev/null 2>&1 || useradd --system --home-dir /nonexistent --shell /usr/sbin/nologin mysql
}

mariadbd_path() { command -v mariadbd || printf '/usr/sbin/mariadbd'; }

start_postgres() {
  ensure_postgres_installed
  local bin port started
  bin="$(pg_bin_dir)"
  port="$(free_port "${JETBASE_TEST_PG_PORT:-54329}")"
  mkdir -p "$PG_DATA" "$PG_SOCKET_DIR"
  chown postgres: "$PG_DATA" "$PG_SOCKET_DIR"
  chmod 700 "$PG_DATA"
  touch "$PG_LOG" && chown postgres: "$PG_LOG"
  started=$(date +%s%N)
  # Local (socket) connections trust the OS user, TCP needs the password: auth is exercised.
  runuser -u postgres -- "$bin/initdb" -D "$PG_DATA" -U postgres -E UTF8 --locale=C \
    --auth-local=trust --auth-host=scram-sha-256 >"$STATE_DIR/initdb.log" 2>&1 \
    || { cat "$STATE_DIR/initdb.log" >&2; die "initdb failed"; }
  local attempt
  # Another test run may take the free port between our check and the bind: then try the next.
  for ((attempt = 0; ; attempt++)); do
    : >"$PG_LOG"
    if runuser -u postgres -- "$bin/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t "$WAIT_SECONDS" \
      -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$PG_SOCKET_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
      start >/dev/null; then
      break
    fi
    if ((attempt < 4)) && grep -q 'could not bind\|Address already in use' "$PG_LOG"; then
      log "port $port was taken meanwhile; trying the next one"
      port="$(free_port $((port + 1)))"
      continue
    fi
    tail -n 30 "$PG_LOG" >&2
    die "PostgreSQL did not start"
  done
  local i
  for ((i = 0; i < WAIT_SECONDS * 2; i++)); do
    "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" && break
    sleep 0.5
  done
  "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" || die "PostgreSQL does not answer on 127.0.0.1:$port"
  runuser -u postgres -- "$bin/psql" -X -q -h "$PG_SOCKET_DIR" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 \
    -v pw="$PG_PASSWORD" >/dev/null <<SQL
CREATE ROLE $DB_USER LOGIN CREATEDB PASSWORD :'pw';
CREATE DATABASE $DB_NAME OWNER $DB_USER;
SQL
  PG_URL="postgresql+psycopg2://$DB_USER:$(percent_encode "$PG_PASSWORD")@127.0.0.1:$port/$DB_NAME"
  log "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port ($(elapsed "$started"))"
}

mysql_client() { command -v mariadb || command -v mysql; }

start_mariadb() {
  ensure_mariadb_installed
  local port started
  port="$(free_port "${JETBASE_TEST_MYSQL_PORT:-33069}")"
  mkdir -p "$MY_DATA" "$MY_RUN_DIR"
  chown mysql: "$MY_DATA" "$MY_RUN_DIR"
  touch "$MY_LOG" && chown mysql: "$MY_LOG"
  started=$(date +%s%N)
  # --no-defaults: ignore /etc/mysql/*.cnf (system socket, datadir, log paths).
  mariadb-install-db --no-defaults --user=mysql --datadir="$MY_DATA" --auth-root-authentication-method=socket \
    --skip-test-db >"$STATE_DIR/mariadb-install-db.log" 2>&1 \
    || { cat "$STATE_DIR/mariadb-install-db.log" >&2; die "mariadb-install-db failed"; }
  local client attempt answered=0
  client="$(mysql_client)"
  # Another test run may take the free port between our check and the bind: then try the next.
  for ((attempt = 0; attempt < 5 && !answered; attempt++)); do
    : >"$MY_LOG"
    setsid "$(mariadbd_path)" --no-defaults --user=mysql --datadir="$MY_DATA" --socket="$MY_SOCKET" \
      --pid-file="$MY_PID_FILE" --log-error="$MY_LOG" --port="$port" --bind-address=127.0.0.1 \
      --skip-name-resolve --skip-log-bin --innodb-flush-log-at-trx-commit=0 --innodb-buffer-pool-size=64M \
      </dev/null >/dev/null 2>&1 &
    local server_pid=$! i
    for ((i = 0; i < WAIT_SECONDS * 2; i++)); do
      if "$client" --no-defaults --protocol=socket --socket="$MY_SOCKET" -uroot -e 'SELECT 1' >/dev/null 2>&1; then
        answered=1
        break
      fi
      kill -0 "$server_pid" 2>/dev/null || break
      sleep 0.5
    done
    if ((!answered)) && grep -q 'Address already in use' "$MY_LOG"; then
      log "port $port was taken meanwhile; trying the next one"
      port="$(free_port $((port + 1)))"
      continue
    fi
    ((answered)) || { tail -n 30 "$MY_LOG" >&2; die "MariaDB does not answer on $MY_SOCKET"; }
  done
  ((answered)) || die "MariaDB found no free port"
  # The server was started with --skip-name-resolve: TCP clients match by IP, socket ones as localhost.
  "$client" --no-defaults --protocol=socket --socket="$MY_SOCKET" -uroot <<SQL
CREATE USER '$DB_USER'@'127.0.0.1' IDENTIFIED BY '$MY_PASSWORD';
CREATE USER '$DB_USER'@'localhost' IDENTIFIED BY '$MY_PASSWORD';
GRANT ALL PRIVILEGES ON *.* TO '$DB_USER'@'127.0.0.1';
GRANT ALL PRIVILEGES ON *.* TO '$DB_USER'@'localhost';
CREATE DATABASE $DB_NAME;
SQL
  MYSQL_URL="mysql+pymysql://$DB_USER:$(percent_encode "$MY_PASSWORD")@127.0.0.1:$port/$DB_NAME"
  log "MariaDB $("$(mariadbd_path)" --version | awk '{print $3}') on 127.0.0.1:$port ($(elapsed "$started"))"
}

stop_servers() {
  local bin
  if [[ -f $PG_DATA/postmaster.pid ]] && bin="$(pg_bin_dir)"; then
    runuser -u postgres -- "$bin/pg_ctl" -D "$PG_DATA" -m fast -w -t "$WAIT_SECONDS" stop >/dev/null 2>&1 \
      || kill -9 "$(head -n 1 "$PG_DATA/postmaster.pid")" 2>/dev/null || true
    log "PostgreSQL stopped"
  fi
  if [[ -f $MY_PID_FILE ]]; then
    local pid i
    pid="$(cat "$MY_PID_FILE")"
    if kill "$pid" 2>/dev/null; then
      for ((i = 0; i < WAIT_SECONDS * 2; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.5
      done
      kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$MY_PID_FILE"
    log "MariaDB stopped"
  fi
  rm -rf "$PG_DATA" "$PG_SOCKET_DIR" "$MY_DATA" "$MY_RUN_DIR" "$ENV_FILE"
}

write_env() {
  {
    echo '# Written by scripts/db-servers.sh start'
    [[ -n ${PG_URL:-} ]] && printf 'export JETBASE_TEST_PG_URL=%q\n' "$PG_URL"
    [[ -n ${MYSQL_URL:-} ]] && printf 'export JETBASE_TEST_MYSQL_URL=%q\n' "$MYSQL_URL"
    true
  } >"$ENV_FILE"
}

start() {
  [[ $(id -u) -eq 0 ]] || die "run as root (initdb and mariadbd run as the postgres/mysql users)"
  command -v node >/dev/null || die "node is needed to percent-encode the URLs"
  if [[ -d $STATE_DIR ]]; then
    log "clearing $STATE_DIR left by an earlier run"
    stop_servers
    rm -rf "$STATE_DIR"
  fi
  mkdir -p "$STATE_DIR"
  chmod 755 "$STATE_DIR"
  PG_URL="${JETBASE_TEST_PG_URL:-}"
  MYSQL_URL="${JETBASE_TEST_MYSQL_URL:-}"
  if [[ -n $PG_URL ]]; then log "JETBASE_TEST_PG_URL is set: not starting PostgreSQL"; else start_postgres; fi
  if [[ -n $MYSQL_URL ]]; then log "JETBASE_TEST_MYSQL_URL is set: not starting MariaDB"; else start_mariadb; fi
  write_env
  log "wrote $ENV_FILE"
}

case "${1:-}" in
  start) start ;;
  stop) stop_servers ;;
  env) [[ -f $ENV_FILE ]] && cat "$ENV_FILE" || die "no $ENV_FILE: run start first" ;;
  *) echo "usage: $0 start|stop|env" >&2; exit 2 ;;
esac
