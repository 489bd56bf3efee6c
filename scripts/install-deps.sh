#!/bin/bash
# Install the Debian packages the model needs, only those that are missing:
# with make bench's fio (run by the UML guest, whose root is this host's),
# gnuplot-nox (the plots) and GNU parallel (exploration shards).
# linux/build.sh installs what the kernel build needs.
set -euo pipefail

packages=(gcc make pkg-config python3 libjson-c-dev libdw-dev libcmocka-dev libinih-dev clang libclang-rt-14-dev
	fio gnuplot-nox parallel)

missing=()
for p in "${packages[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
		missing+=("$p")
	fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "pinmm: installing ${missing[*]}" >&2
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
