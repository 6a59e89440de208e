#!/usr/bin/env bash
# Adds Acme, an imaginary sixth provider (API-key header, list CRUD, membership by phone), to a scratch clone of this
# repository exactly as docs/adding-a-provider.md says: its own folders and its public-API lines, nothing else.
#   - its SDK folder is the test-only provider (tests/ContactLists.Tests/Infrastructure/TestProvider) renamed, so the
#     imaginary wire format is written once;
#   - its emulator module, target, contract and conformance tests and page are in template/;
#   - its public-API lines are the ones the build says are missing (RS0016), as a developer adds them.
# Then builds everything (warnings are errors) and runs the suites that find providers by themselves (conformance,
# conventions, reliability, emulator, the guide's own checks) with Acme among them.
# Usage: bash scripts/sixth-provider/check.sh   (needs only the .NET SDK; takes a few minutes)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(git -C "$here" rev-parse --show-toplevel)
scratch=$(mktemp -d)/repo
trap 'rm -rf "$(dirname "$scratch")"' EXIT
trap 'echo "The sixth-provider check failed: the guide, the test-only provider, template/ or a suite no longer agree; see above." >&2' ERR

git clone -q "$repo" "$scratch"
cd "$scratch"

# 1. The SDK folder, from the test-only provider.
from=tests/ContactLists.Tests/Infrastructure/TestProvider
to=src/ContactLists/Providers/Acme
mkdir -p "$to"
while read -r source target; do
  sed -E \
    -e 's/ContactLists\.Tests\.Infrastructure\.TestProvider/ContactLists.Providers.Acme/g' \
    -e 's/ITestProviderApi/IAcmeApi/g; s/TestProviderOptions/AcmeOptions/g; s/TestProviderClient/AcmeContactListClient/g' \
    -e 's/TestProviderJsonContext/AcmeJsonContext/g; s/TestProviderBuilderExtensions/AcmeContactListsBuilderExtensions/g' \
    -e 's/AddTestProvider/AddAcme/g; s/\bTestProvider\b/AcmeProvider/g; s/Name = "Test"/Name = "Acme"/' \
    -e 's/\bTest(List|ListPage|ListInput|Member|MemberPage|MembersChange|QueuedResponse|ErrorResponse|Error)\b/Acme\1/g' \
    -e 's/[Tt]he test provider/Acme/g; s/test provider/Acme/g; s/test-provider/acme/g; s/ContactLists:Test/ContactLists:Acme/g' \
    "$from/$source" > "$to/$target"
done <<'FILES'
ITestProviderApi.cs IAcmeApi.cs
TestProviderModels.cs AcmeModels.cs
TestProviderOptions.cs AcmeOptions.cs
TestProviderClient.cs AcmeContactListClient.cs
TestProvider.cs AcmeProvider.cs
FILES

# 2. The emulator module, the tests and the page.
cp -R "$here/template/." .

# 3. The public API: what the build names as missing.
for project in src/ContactLists src/ContactLists.Emulator; do
  { dotnet build "$project" -nologo 2>&1 || true; } \
    | sed -nE "s/.*error RS0016: Symbol '(.+)' is not part of the declared public API.*/\1/p" | sort -u >> "$project/PublicAPI.Unshipped.txt"
done

created=$(git status --porcelain --untracked-files=all | grep -c '^??' || true)
lines=$(git ls-files --others --exclude-standard -z | xargs -0 cat | wc -l)
edited=$(git status --porcelain --untracked-files=no | awk '{print $2}')

dotnet build ContactListsSdk.sln -nologo -v quiet
dotnet test tests/ContactLists.Tests/ContactLists.Tests.csproj --no-build -nologo \
  --filter "FullyQualifiedName~Acme|FullyQualifiedName~Conformance|FullyQualifiedName~Conventions|FullyQualifiedName~Reliability|FullyQualifiedName~Emulator|FullyQualifiedName~AddingAProviderDocTests" \
  --logger "trx;LogFileName=acme.trx" --results-directory "$scratch/results" | tail -3

acme=$(grep -o 'testName="[^"]*Acme[^"]*"' "$scratch"/results/*.trx | sort -u | wc -l)
echo "Acme: ${created} files created (${lines} lines), files edited outside its folders: $(echo $edited | tr ' ' ',') (and the README's matrix row); ${acme} tests ran on Acme without a shared file changed."
