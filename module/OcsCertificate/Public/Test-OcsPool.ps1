function Test-OcsPool {
    <#
    .SYNOPSIS
    Checks that a pool's members fit together: each member's certificates, and mutual TLS between every pair.

    .DESCRIPTION
    Connects to every member of the pool definition (as Request-OcsPoolCertificate does)
    and reports, per member: the certificate bound to each role (thumbprint, NotAfter,
    RenewAfter, issuer, names, whether its chain is trusted and it carries the pool
    FQDN), whether scheduled renewal is registered, the module version, and the clock
    offset from this console (mutual TLS fails when clocks disagree).

    Then the mutual-TLS matrix: every member connects to every other member's port
    (MutualTlsPort in the definition, 5061 by default) with its own Front End
    certificate, as the pool's servers do. Where a service listens on that port, the
    real service is tested; elsewhere the command opens a short-lived responder on the
    member that presents its bound certificate and demands the client's. A failed pair
    says why, from both sides (the client's error and what the other member refused).

    The verdict is Healthy when every member was reached, every role's certificate
    passed its checks and carries the pool FQDN, every pair passed, and no clock is
    more than 5 minutes off. Missing scheduled renewal is a warning.

    .PARAMETER Pool
    The pool definition file.

    .PARAMETER Member
    Only these members (the matrix then covers only them).

    .PARAMETER ThrottleLimit
    How many members work at once (default 8).

    .PARAMETER InstallModule
    Copies this module to members that lack it or run another version.

    .PARAMETER ConnectingTimeoutSeconds
    How long to wait for a member's session to open, the remote PowerShell start included (default 30).

    .EXAMPLE
    Test-OcsPool -Pool .\pool01.psd1

    The verdict, the members and the matrix, at a glance.

    .EXAMPLE
    (Test-OcsPool -Pool .\pool01.psd1).Matrix | Where-Object { -not $_.Passed }

    The pairs that fail, with the reason.

    .INPUTS
    None.

    .OUTPUTS
    OcsCertificate.PoolReport, with Members (OcsCertificate.PoolMemberState) and Matrix (OcsCertificate.PoolHandshake).

    .LINK
    Request-OcsPoolCertificate

    .LINK
    Test-OcsCertificate
    #>
    [CmdletBinding()]
    [OutputType('OcsCertificate.PoolReport')]
    param(
        [Parameter(Mandatory, Position = 0)] [string] $Pool,
        [string[]] $Member,
        [ValidateRange(1, 64)] [int] $ThrottleLimit = 8,
        [switch] $InstallModule,
        [ValidateRange(1, 300)] [int] $ConnectingTimeoutSeconds = 30
    )
    Import-OcsOnDemand Pool
    $definition = Read-OcsPoolDefinition -Cmdlet $PSCmdlet -Path $Pool -Member $Member
    $targets = @()
    try {
        $targets = Open-OcsPoolSession -Cmdlet $PSCmdlet -Pool $definition -ConnectingTimeoutSeconds $ConnectingTimeoutSeconds -InstallModule:$InstallModule -ThrottleLimit $ThrottleLimit
        # Clock offset: the member's UTC time against the middle of the round trip.
        $offsets = @{}
        foreach ($t in $targets | Where-Object Status -eq 'Pending') {
            $before = [DateTime]::UtcNow
            $theirs = Invoke-Command -Session $t.Session -ScriptBlock { [DateTime]::UtcNow } -ErrorAction SilentlyContinue
            $after = [DateTime]::UtcNow
            if ($theirs) { $offsets[$t.Member.fqdn] = [Math]::Round(($theirs.ToUniversalTime() - $before.AddTicks(($after - $before).Ticks / 2)).TotalSeconds, 2) }
        }
        $trust = @($definition.trustAnchorPath)
        $state = Invoke-OcsPoolMember -Targets $targets -ThrottleLimit $ThrottleLimit -KeepGoing -Activity "Reading each member of pool $($definition.poolFqdn)" -Arguments {
            param($t) @{ poolFqdn = $definition.poolFqdn; roles = @($t.Member.roles); trust = $trust }
        } -ScriptBlock {
            param($a)
            $bindings = @(Get-OcsCertificateBinding)
            $roles = foreach ($role in $a.roles) {
                $bound = $bindings | Where-Object Role -eq $role | Select-Object -First 1
                if (-not $bound -or -not $bound.Thumbprint) { [pscustomobject]@{ Role = $role; Bound = $false }; continue }
                $certificate = Get-OcsCertificate -Thumbprint $bound.Thumbprint
                $test = @{ Role = $role; PoolFqdn = $a.poolFqdn }
                if ($a.trust) { $test.TrustAnchorPath = [string[]] @($a.trust) }
                $checks = @(Test-OcsCertificate @test -ErrorAction SilentlyContinue)
                [pscustomobject]@{
                    Role = $role; Bound = $true; Thumbprint = $bound.Thumbprint
                    NotAfter = $certificate.NotAfter; RenewAfter = $certificate.RenewAfter; Issuer = $certificate.Issuer
                    Names = [string[]] $certificate.AlternativeNames
                    ChainTrusted = [bool] ($checks | Where-Object { $_.Check -eq 'Chain' -and $_.Passed })
                    Failed = [string[]] @($checks | Where-Object { -not $_.Passed } | ForEach-Object { "$($_.Check): $($_.Detail)" })
                }
            }
            $renewal = Get-OcsCertificateRenewal -ErrorAction SilentlyContinue
            [pscustomobject]@{
                Roles             = @($roles)
                RenewalRegistered = [bool] ($renewal -and $renewal.Scheduler)
                ModuleVersion     = [string] (Get-OcsCertificateVersion).ModuleVersion
            }
        }
        $reachable = @($targets | Where-Object Status -eq 'Pending')
        $against = Open-OcsPoolResponder -Pool $definition -Targets $reachable -ThrottleLimit $ThrottleLimit
        try { $matrix = @(Invoke-OcsPoolMatrix -Pool $definition -From $reachable -To $reachable -Against $against -ThrottleLimit $ThrottleLimit) }
        finally { $seen = Close-OcsPoolResponder -Pool $definition -Targets $reachable }
    }
    finally { Close-OcsPoolSession $targets }

    # The members' rows, then what is wrong pool-wide.
    $problems = [System.Collections.Generic.List[string]]::new()
    $warnings = [System.Collections.Generic.List[string]]::new()
    $members = foreach ($t in $targets) {
        $s = if ($t.Status -eq 'Pending') { @($state[$t.Member.fqdn].Output)[-1] } else { $null }
        if ($t.Status -ne 'Pending') { $problems.Add("$($t.Member.fqdn): $($t.Error)") }
        $mtls = Get-OcsPoolMtlsRole $t.Member
        foreach ($role in $(if ($s) { $s.Roles } else { @($t.Member.roles | ForEach-Object { [pscustomobject]@{ Role = $_; Bound = $false } }) })) {
            $carries = [bool] ($role.Bound -and ($role.Names -contains $definition.poolFqdn))
            if ($s -and -not $role.Bound) { $problems.Add("$($t.Member.fqdn): no certificate is assigned to $($role.Role).") }
            if ($role.Bound -and -not $carries) { $problems.Add("$($t.Member.fqdn): the $($role.Role) certificate does not carry the pool name $($definition.poolFqdn).") }
            foreach ($failure in @($role.Failed)) { if ($failure) { $problems.Add("$($t.Member.fqdn) $($role.Role): $failure") } }
            [pscustomobject]@{
                PSTypeName         = 'OcsCertificate.PoolMemberState'
                Member             = $t.Member.fqdn
                PSComputerName     = if ($t.Member.transport -eq 'ssh') { $t.Member.hostName } else { $t.Member.computerName }
                Status             = if ($t.Status -eq 'Pending') { 'Reached' } else { $t.Status }
                Role               = $role.Role
                MutualTls          = $role.Role -eq $mtls
                Thumbprint         = $role.Thumbprint
                NotAfter           = $role.NotAfter
                RenewAfter         = $role.RenewAfter
                Issuer             = $role.Issuer
                Names              = [string[]] @($role.Names)
                ChainTrusted       = [bool] $role.ChainTrusted
                CarriesPoolName    = $carries
                RenewalRegistered  = if ($s) { [bool] $s.RenewalRegistered } else { $null }
                ModuleVersion      = if ($s) { $s.ModuleVersion } else { $t.Version }
                ClockOffsetSeconds = $offsets[$t.Member.fqdn]
            }
        }
        if ($s -and -not $s.RenewalRegistered) { $warnings.Add("$($t.Member.fqdn): scheduled renewal is not registered (Register-OcsCertificateRenewal).") }
        if ($null -ne $offsets[$t.Member.fqdn] -and [Math]::Abs($offsets[$t.Member.fqdn]) -gt 300) {
            $problems.Add("$($t.Member.fqdn): its clock is $($offsets[$t.Member.fqdn]) s off this console's; mutual TLS and certificate validity need them within minutes.")
        }
    }
    # A refused pair: add what the other side saw of this client's certificate.
    $byThumbprint = @{}
    foreach ($m in $members | Where-Object { $_.MutualTls -and $_.Thumbprint }) { $byThumbprint[$m.Thumbprint] = $m.Member }
    foreach ($row in $matrix | Where-Object { -not $_.Passed }) {
        $refusal = @(if ($seen -and $row.To) { $seen[$row.To] }) | Where-Object { -not $_.accepted -and $_.thumbprint -and $byThumbprint[$_.thumbprint] -eq $row.From } | Select-Object -Last 1
        if ($refusal) { $row.Reason = "$($row.Reason) $($row.To) refused it: $($refusal.detail)." }
        $problems.Add("$($row.From) -> $($row.To): $($row.Reason)")
    }
    [pscustomobject]@{
        PSTypeName = 'OcsCertificate.PoolReport'
        Pool       = $definition.poolFqdn
        Verdict    = if ($problems.Count) { 'Unhealthy' } else { 'Healthy' }
        Problems   = [string[]] $problems
        Warnings   = [string[]] $warnings
        Members    = @($members)
        Matrix     = @($matrix)
        Port       = $definition.mutualTlsPort
        Tested     = [DateTime]::UtcNow
    }
}
