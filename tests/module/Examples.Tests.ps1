# The example scripts are documentation that runs: CI runs each of them.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $examples = (Resolve-Path (Join-Path $PSScriptRoot '../../examples')).Path
}

Describe 'examples/Online-PoolFlow.ps1 (the main job, ./build.ps1 demo)' {
    It 'runs the whole wizard flow for two pool members against the embedded CA and proves mutual TLS' {
        $output = (Invoke-OcsTestPwsh -File (Join-Path $examples 'Online-PoolFlow.ps1')) -join "`n"
        $LASTEXITCODE | Should -Be 0 -Because $output
        $output | Should -Match 'All 11 checks passed'
        $output | Should -Match 'FrontEnd\s+[0-9A-F]{40}'
        $output | Should -Match 'Pebble Intermediate CA'
        $output | Should -Not -Match 'BEGIN [A-Z ]*PRIVATE KEY'
    }
}

Describe 'examples/Offline-PoolFlow.ps1' {
    It 'runs the whole offline flow for two pool members and proves mutual TLS' {
        $output = (Invoke-OcsTestPwsh -File (Join-Path $examples 'Offline-PoolFlow.ps1')) -join "`n"
        $LASTEXITCODE | Should -Be 0 -Because $output
        $output | Should -Match 'All 11 checks passed'
        $output | Should -Match 'PeerHandshake\s+True'
        $output | Should -Not -Match 'BEGIN [A-Z ]*PRIVATE KEY'
    }
}
