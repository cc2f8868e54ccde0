# The demo's pool flow (examples/Pool-Flow.ps1, what ./build.ps1 demo runs) works from end to end and
# leaves nothing behind. It runs in its own pwsh, under this test's private /etc/hosts.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../module/TestHelpers.psm1') -Force
}

Describe 'examples/Pool-Flow.ps1' {
    It 'issues, tests and renews a pool of three members' {
        $before = @(& ip netns list 2>$null).Count
        $output = @(Invoke-OcsTestPwsh -File (Join-Path $PSScriptRoot '../../examples/Pool-Flow.ps1'))
        $text = $output -join "`n"
        $LASTEXITCODE | Should -Be 0 -Because $text
        $text | Should -Match '3 of 3 members got a certificate\.'
        @($output | Where-Object { $_ -match '^fe0[123]\.contoso\.test\s+Succeeded\s+[0-9A-F]{40}' }).Count | Should -Be 3
        $text | Should -Match 'Pool pool01\.contoso\.test: HEALTHY\s+6 of 6 mutual-TLS handshakes passed'
        @($output | Where-Object { $_ -match '^fe0[123]\.contoso\.test\s+Renewed\s' }).Count | Should -Be 3
        @(& ip netns list 2>$null).Count | Should -Be $before
    }
}
