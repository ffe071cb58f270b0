#!/usr/bin/env bash
# Builds plantgate_VERSION_ARCH.deb in the repository root.
#
# Usage: Deploy/build-deb.sh [VERSION]
#   VERSION defaults to `git describe --tags --always` (a leading "v" dropped) when that is a valid
#   Debian version, else 0.1.0.
# Needs: swift, dpkg-deb. The binaries link the Swift runtime statically, so the target host needs
# only the C libraries listed in Depends (libmodbus5, libmosquitto1, libsqlite3-0 and libc).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"

version=${1:-}
if [ -z "$version" ]; then
    # From the newest tag ("v1.2.0-3-gabc123" becomes "1.2.0+3.gabc123"); 0.1.0 before the first tag.
    # (A bare commit hash from --always is not a version that sorts, so it is not used.)
    version=$(git describe --tags 2>/dev/null || true)
    version=${version#v}
    version=$(printf '%s' "$version" | sed -E 's/-([0-9]+)-g([0-9a-f]+)$/+\1.g\2/')
    [ -n "$version" ] || version=0.1.0
fi
if ! printf '%s' "$version" | grep -qE '^[0-9][A-Za-z0-9.+~-]*$'; then
    echo "build-deb: '$version' is not a Debian version (must start with a digit; use 0-9 A-Z a-z . + ~ -)" >&2
    exit 64
fi
arch=$(dpkg --print-architecture)
deb="$repo/plantgate_${version}_${arch}.deb"

echo "build-deb: building release binaries (static Swift runtime, one section per function)"
Deploy/build-release.sh plantgated plantgate plantgate-fleet
bin=$(Deploy/build-release.sh --show-bin-path)

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
root="$stage/root"

install -d "$root/DEBIAN" "$root/usr/bin" "$root/lib/systemd/system" "$root/usr/lib/sysusers.d" \
    "$root/etc/plantgate" "$root/usr/share/doc/plantgate/examples" "$root/usr/share/plantgate/systemd"

for product in plantgated plantgate plantgate-fleet; do
    install -m 0755 "$bin/$product" "$root/usr/bin/$product"
    # Debug info only: symbols stay, so the Swift runtime's crash backtraces still name functions.
    strip --strip-debug "$root/usr/bin/$product"
done
install -m 0644 systemd/plantgated.service "$root/lib/systemd/system/plantgated.service"
install -m 0644 systemd/plantgate.sysusers "$root/usr/lib/sysusers.d/plantgate.conf"
install -m 0644 systemd/tcp-only.conf "$root/usr/share/plantgate/systemd/tcp-only.conf"
install -m 0644 systemd/realtime.conf "$root/usr/share/plantgate/systemd/realtime.conf"

if [ -f Deploy/plantgate.yaml ]; then
    install -m 0640 Deploy/plantgate.yaml "$root/etc/plantgate/plantgate.yaml"
else
    echo "build-deb: WARNING Deploy/plantgate.yaml is missing; shipping a placeholder config" >&2
    printf '# placeholder: Deploy/plantgate.yaml was missing when this package was built\n' \
        > "$root/etc/plantgate/plantgate.yaml"
    chmod 0640 "$root/etc/plantgate/plantgate.yaml"
fi

shopt -s nullglob
examples=(Deploy/examples/*.yaml)
shopt -u nullglob
if [ ${#examples[@]} -gt 0 ]; then
    install -m 0644 "${examples[@]}" "$root/usr/share/doc/plantgate/examples/"
else
    echo "build-deb: note: no Deploy/examples/*.yaml to ship" >&2
fi

# Only ship a completion script that is one: a CLI without the flag may print anything and exit 0.
completion=$("$bin/plantgate" --generate-completion-script bash 2>/dev/null || true)
if printf '%s\n' "$completion" | grep -q '^complete '; then
    install -d "$root/usr/share/bash-completion/completions"
    printf '%s\n' "$completion" > "$root/usr/share/bash-completion/completions/plantgate"
else
    echo "build-deb: note: 'plantgate --generate-completion-script bash' gave no completion script; none shipped" >&2
fi

# Depends: the C libraries plantgate is written against, plus the packages of every library the
# binaries link directly (DT_NEEDED; ldd alone would also list libmosquitto's own dependencies).
depends="libmodbus5 (>= 3.1.6), libmosquitto1, libsqlite3-0"
linked=""
for product in plantgated plantgate plantgate-fleet; do
    binary="$root/usr/bin/$product"
    for soname in $(readelf -d "$binary" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
        lib=$(ldd "$binary" | awk -v so="$soname" '$1 == so && $3 ~ /^\// { print $3 }')
        [ -n "$lib" ] || lib=$(ldd "$binary" | awk -v so="$soname" 'index($1, so) && $1 ~ /^\// { print $1 }')
        pkg=""
        for candidate in ${lib:+"$lib" "$(readlink -f "$lib")" "/usr$lib"}; do
            pkg=$(dpkg -S "$candidate" 2>/dev/null | head -n1 || true)
            [ -n "$pkg" ] && break
        done
        pkg=${pkg%%:*}
        if [ -z "$pkg" ]; then
            echo "build-deb: WARNING no package owns $soname (linked by $product); add it to Depends by hand" >&2
            continue
        fi
        case " $linked " in *" $pkg "*) ;; *) linked="$linked $pkg" ;; esac
    done
done
for pkg in $linked; do
    case ", $depends" in *", $pkg"*) ;; *) depends="$depends, $pkg" ;; esac
done

installed_size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s/@INSTALLED_SIZE@/$installed_size/" \
    -e "s/@DEPENDS@/$depends/" Deploy/debian/control.in > "$root/DEBIAN/control"
install -m 0644 Deploy/debian/conffiles "$root/DEBIAN/conffiles"
for script in postinst prerm postrm; do
    install -m 0755 "Deploy/debian/$script" "$root/DEBIAN/$script"
done

# gzip: an order of magnitude faster to build than the default xz on a 2-core box, a few MB larger.
dpkg-deb --root-owner-group -Zgzip --build "$root" "$deb" >/dev/null
echo "build-deb: wrote $deb"
dpkg-deb --info "$deb" | sed -n 's/^ \(Version\|Depends\|Installed-Size\):/  \1:/p'
