# Shared by the module's test files: a fresh store per test and the module import.
$repo = Resolve-Path (Join-Path $PSScriptRoot '../..')

function Import-OcsTestModule {
    Import-Module (Join-Path $repo 'module/OcsCertificate/OcsCertificate.psd1') -Force -Global
}

# A new empty store folder under the test drive; also set as $env:OCSCERT_STORE.
function New-OcsTestStore {
    $path = Join-Path ([System.IO.Path]::GetTempPath()) ("ocscert-test-" + [guid]::NewGuid().ToString('n'))
    $env:OCSCERT_STORE = $path
    $path
}

# The inputs every valid request needs, for splatting.
function Get-OcsTestRequestArguments {
    @{
        PoolFqdn     = 'pool01.contoso.com'
        Organization = 'Contoso'
        Country      = 'US'
        State        = 'Washington'
        City         = 'Redmond'
        KeyAlgorithm = 'ECDSA_P256'  # fast; RSA is covered where the key type is the point
    }
}

Export-ModuleMember -Function Import-OcsTestModule, New-OcsTestStore, Get-OcsTestRequestArguments
