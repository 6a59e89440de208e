#!/usr/bin/env bash
# Adds Acme, an imaginary sixth provider (API-key header, list CRUD, membership by phone), to a scratch clone of this
# repository exactly as docs/adding-a-provider.md says: its own folders (template/), its public API lines, and
# nothing else. Then builds everything (warnings are errors) and runs the suites that find providers by themselves
# (conformance, conventions, reliability, emulator, the guide's own checks) with Acme among them.
# Usage: bash scripts/sixth-provider/check.sh   (needs only the .NET SDK; takes a few minutes)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(git -C "$here" rev-parse --show-toplevel)
scratch=$(mktemp -d)/repo
trap 'rm -rf "$(dirname "$scratch")"' EXIT
trap 'echo "The sixth-provider check failed: the guide, the template (scripts/sixth-provider/template/) or a suite no longer agree; see above." >&2' ERR

git clone -q "$repo" "$scratch"
cp -R "$here/template/." "$scratch/"
cat "$here/PublicAPI.sdk.txt" >> "$scratch/src/ContactLists/PublicAPI.Unshipped.txt"
cat "$here/PublicAPI.emulator.txt" >> "$scratch/src/ContactLists.Emulator/PublicAPI.Unshipped.txt"

cd "$scratch"
created=$(git status --porcelain --untracked-files=all | grep -c '^??' || true)
lines=$(git ls-files --others --exclude-standard -z | xargs -0 cat | wc -l)
edited=$(git status --porcelain --untracked-files=no | awk '{print $2}')

dotnet build ContactListsSdk.sln -nologo -v quiet
dotnet test tests/ContactLists.Tests/ContactLists.Tests.csproj --no-build -nologo \
  --filter "FullyQualifiedName~Acme|FullyQualifiedName~Conformance|FullyQualifiedName~Conventions|FullyQualifiedName~Reliability|FullyQualifiedName~Emulator|FullyQualifiedName~AddingAProviderDocTests" \
  --logger "trx;LogFileName=acme.trx" --results-directory "$scratch/results" | tail -3

acme=$(grep -o 'testName="[^"]*Acme[^"]*"' "$scratch"/results/*.trx | sort -u | wc -l)
echo "Acme: ${created} files created (${lines} lines), files edited outside its folders: $(echo $edited | tr ' ' ',') (and the README's matrix row); ${acme} tests ran on Acme without a shared file changed."
