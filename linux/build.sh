#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the pinmm User-Mode Linux kernel, incrementally.
#
#   linux/build.sh            build (or bring up to date); print the kernel path
#   PINMM_DEBUG=1 build.sh    same, with the lockdep/debug fragment on top
#
# Cache layout (root: ${PINMM_CACHE:-/var/cache/pinmm}; the four trees
# used last are kept):
#   build/<source-version>-<config-hash>/linux-source-6.12/  one build tree
#   build/.../.pinmm/applied/{series,*.patch}  the series now applied to it
#
# The tree is keyed only by what it is unpacked and configured from (the
# Debian package version of linux-source-6.12 and the config fragments). The
# patch series is NOT part of the key: on each run the applied series is
# compared with linux/patches/series, the differing tail is reverse-applied
# and the new tail applied, and every file whose content came back unchanged
# gets its old mtime back, so make rebuilds only what really changed.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CACHE=${PINMM_CACHE:-/var/cache/pinmm}
JOBS=${PINMM_JOBS:-$(nproc)}
SRC_PKG=linux-source-6.12

log() { echo "build.sh: $*" >&2; }
die() { log "error: $*"; exit 1; }

# --- 1. tools and source, installed only when missing -----------------------
need_pkgs=()
dpkg-query -W -f='${Status}' $SRC_PKG 2>/dev/null | grep -q 'ok installed' ||
	need_pkgs+=($SRC_PKG)
for t in gcc:gcc make:make bc:bc bison:bison flex:flex patch:patch \
	 xz:xz-utils mkfs.ext4:e2fsprogs python3:python3 flock:util-linux \
	 perl:perl; do
	command -v "${t%%:*}" >/dev/null 2>&1 || need_pkgs+=("${t#*:}")
done
[ -e /usr/include/libelf.h ] || need_pkgs+=(libelf-dev)
[ -e /usr/lib/x86_64-linux-gnu/libc.a ] || need_pkgs+=(libc6-dev)
if [ ${#need_pkgs[@]} -gt 0 ]; then
	log "installing ${need_pkgs[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q >&2
	apt-get install -y -q --no-install-recommends "${need_pkgs[@]}" >&2
fi

SRC_TAR=$(ls /usr/src/$SRC_PKG.tar.* 2>/dev/null | head -n1)
[ -n "$SRC_TAR" ] || die "no /usr/src/$SRC_PKG.tar.*"
SRC_VER=$(dpkg-query -W -f='${Version}' $SRC_PKG)

FRAGS=("$HERE/config/pinmm.config")
[ "${PINMM_DEBUG:-0}" = 1 ] && FRAGS+=("$HERE/config/debug.config")
CFG_HASH=$(cat "${FRAGS[@]}" | sha256sum | cut -c1-12)
BDIR=$CACHE/build/$SRC_VER-$CFG_HASH
TREE=$BDIR/$SRC_PKG
STATE=$BDIR/.pinmm

mkdir -p "$CACHE/build"
exec 9>"$CACHE/build/.lock"
flock 9

# --- 2. unpack once per key ---------------------------------------------------
if [ ! -e "$STATE/unpacked" ]; then
	log "unpacking $SRC_TAR ($SRC_VER) into $BDIR"
	rm -rf "$BDIR"
	mkdir -p "$BDIR.tmp"
	tar -C "$BDIR.tmp" -xf "$SRC_TAR"
	mkdir -p "$BDIR.tmp/.pinmm/applied"
	: > "$BDIR.tmp/.pinmm/applied/series"
	touch "$BDIR.tmp/.pinmm/unpacked"
	mv "$BDIR.tmp" "$BDIR"
fi

# --- 3. bring the applied series in line with linux/patches/series ------------
read_series() { sed -e 's/#.*//' -e 's/[[:space:]]*$//' -e '/^$/d' "$1"; }
mapfile -t want < <(read_series "$HERE/patches/series")
mapfile -t have < <(read_series "$STATE/applied/series")

k=0
while [ $k -lt ${#want[@]} ] && [ $k -lt ${#have[@]} ] &&
      [ "${want[$k]}" = "${have[$k]}" ] &&
      cmp -s "$HERE/patches/${want[$k]}" "$STATE/applied/${have[$k]}"; do
	k=$((k + 1))
done

patch_files() { sed -n 's|^diff --git a/\(.*\) b/\(.*\)$|\1\n\2|p' "$1" | sort -u; }

if [ $k -lt ${#have[@]} ] || [ $k -lt ${#want[@]} ]; then
	save=$BDIR/.pinmm/mtimes
	rm -rf "$save"; mkdir -p "$save"
	{
		for ((i = k; i < ${#have[@]}; i++)); do
			patch_files "$STATE/applied/${have[$i]}"
		done
		for ((i = k; i < ${#want[@]}; i++)); do
			patch_files "$HERE/patches/${want[$i]}"
		done
	} | sort -u > "$save/files"
	while read -r f; do
		[ -f "$TREE/$f" ] || continue
		mkdir -p "$save/copy/$(dirname "$f")"
		cp -p "$TREE/$f" "$save/copy/$f"
	done < "$save/files"

	for ((i = ${#have[@]} - 1; i >= k; i--)); do
		log "reverting ${have[$i]}"
		patch -d "$TREE" -p1 -R -E -s --fuzz=0 --no-backup-if-mismatch \
			< "$STATE/applied/${have[$i]}" ||
			die "cannot revert ${have[$i]}; remove $BDIR to start over"
		rm -f "$STATE/applied/${have[$i]}"
		printf '%s\n' "${have[@]:0:$i}" | sed '/^$/d' > "$STATE/applied/series"
	done
	for ((i = k; i < ${#want[@]}; i++)); do
		p=$HERE/patches/${want[$i]}
		log "applying ${want[$i]}"
		patch -d "$TREE" -p1 -N -s --fuzz=0 --dry-run < "$p" >/dev/null ||
			die "${want[$i]} does not apply without fuzz"
		patch -d "$TREE" -p1 -N -s --fuzz=0 --no-backup-if-mismatch < "$p"
		cp "$p" "$STATE/applied/${want[$i]}"
		echo "${want[$i]}" >> "$STATE/applied/series"
	done

	# Files that came back byte-identical keep their old mtime. A header
	# that appeared or disappeared can change which file an #include
	# finds without any dependency of the old objects changing, so then
	# the objects are thrown away (a full build takes a few minutes).
	kept=0
	while read -r f; do
		if [ -f "$save/copy/$f" ] && cmp -s "$save/copy/$f" "$TREE/$f"; then
			touch -r "$save/copy/$f" "$TREE/$f"
			kept=$((kept + 1))
		fi
		was=0; now=0
		[ -f "$save/copy/$f" ] && was=1
		[ -f "$TREE/$f" ] && now=1
		if [ "${f%.h}" != "$f" ] && [ $was != $now ]; then
			log "header $f appeared or disappeared: clean build"
			touch "$STATE/need-clean"
		fi
	done < "$save/files"
	log "$(wc -l < "$save/files") files touched by the change, $kept unchanged"
	rm -rf "$save"
else
	log "patch series up to date (${#want[@]} patches)"
fi

# --- 4. configure: defconfig + fragments; .config replaced only on change -----
cd "$TREE"
tmpcfg=$BDIR/.pinmm/config.new
make -s ARCH=um KCONFIG_CONFIG="$tmpcfg" defconfig >&2
scripts/kconfig/merge_config.sh -m -O "$BDIR/.pinmm" "$tmpcfg" "${FRAGS[@]}" >/dev/null
mv "$BDIR/.pinmm/.config" "$tmpcfg"
make -s ARCH=um KCONFIG_CONFIG="$tmpcfg" olddefconfig >&2
for f in "${FRAGS[@]}"; do
	# Every =y/=n/=N line of the fragments must survive olddefconfig.
	while read -r line; do
		case "$line" in
		CONFIG_*=*) grep -qxF "$line" "$tmpcfg" || die "config: $line did not stick" ;;
		"# CONFIG_"*" is not set")
			s=${line#\# }; s=${s%% *}
			grep -q "^$s=" "$tmpcfg" && die "config: $s is still set" ;;
		esac
	done < "$f"
done
if ! cmp -s "$tmpcfg" .config; then
	log "config changed"
	mv "$tmpcfg" .config
else
	rm -f "$tmpcfg" "$tmpcfg.old"
fi

# --- 5. build -----------------------------------------------------------------
if [ -e "$STATE/need-clean" ]; then
	make -s ARCH=um clean >&2
	rm -f "$STATE/need-clean"
fi
log "make ARCH=um -j$JOBS linux (log: $BDIR/build.log)"
start=$(date +%s)
if ! make ARCH=um -j"$JOBS" linux > "$BDIR/build.log" 2>&1; then
	tail -n 40 "$BDIR/build.log" >&2
	die "kernel build failed"
fi
log "built in $(( $(date +%s) - start ))s"

# --- 6. keep the cache bounded: the four trees used last stay -----------------
touch "$STATE/used"
ls -dt "$CACHE"/build/*/.pinmm/used 2>/dev/null | tail -n +5 |
while read -r used; do
	old=$(dirname "$(dirname "$used")")
	log "removing the unused tree $old"
	rm -rf "$old"
done
echo "$TREE/linux"
