function Request-OcsPoolCertificate {
    <#
    .SYNOPSIS
    Runs the certificate wizard on every member of a pool at once, over PowerShell remoting.

    .DESCRIPTION
    Reads the pool definition (a .psd1 or .json file the admin keeps under source
    control), checks it whole, opens one remoting session per member (SSH, or WinRM
    for members given by ComputerName), checks that every member runs this module's
    version, and then runs New-OcsCertificateRequest on every member in parallel:
    each member makes its own key in its own store, with the pool's names plus its
    own machine FQDN and roles, and sends the request to the pool's CA.

    With an ACME CA answered over http-01, the pool name may resolve to any member
    (round-robin DNS, a load balancer). So before the requests, every member opens a
    standing http-01 listener that answers its own orders and asks the other members'
    listeners for tokens it does not know; the CA's check for the pool name then
    passes whichever member it reaches. They close when the command ends.

    A member that cannot be reached, lacks the module, or fails at the CA is reported
    with its error (non-terminating, with the member as target) and does not stop the
    others. One result object per member says what happened; a summary line says how
    many succeeded.

    .PARAMETER Pool
    The pool definition file. See about the format in the README ("A whole pool").

    .PARAMETER Member
    Only these members (FQDN or host name).

    .PARAMETER Assign
    Assigns each member's new certificate to its roles (as New-OcsCertificateRequest -Assign).

    .PARAMETER ThrottleLimit
    How many members work at once (default 8).

    .PARAMETER InstallModule
    Copies this module to members that lack it or run another version, over their sessions.

    .PARAMETER ConnectingTimeoutSeconds
    How long to wait for a member's session to open, the remote PowerShell start included (default 30).

    .EXAMPLE
    Request-OcsPoolCertificate -Pool .\pool01.psd1 -Assign

    Every member gets its certificate and assigns it to its roles.

    .EXAMPLE
    Request-OcsPoolCertificate -Pool .\pool01.psd1 -Member fe03 -Assign -InstallModule

    Only fe03, copying the module there first if needed.

    .EXAMPLE
    Request-OcsPoolCertificate -Pool .\pool01.psd1 -WhatIf

    Checks the definition and shows each member's names; contacts nobody.

    .INPUTS
    None.

    .OUTPUTS
    OcsCertificate.PoolMemberResult, one per member.

    .LINK
    Test-OcsPool

    .LINK
    Update-OcsPool
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    [OutputType('OcsCertificate.PoolMemberResult')]
    param(
        [Parameter(Mandatory, Position = 0)] [string] $Pool,
        [string[]] $Member,
        [switch] $Assign,
        [ValidateRange(1, 64)] [int] $ThrottleLimit = 8,
        [switch] $InstallModule,
        [ValidateRange(1, 300)] [int] $ConnectingTimeoutSeconds = 30
    )
    Import-OcsOnDemand Pool
    $definition = Read-OcsPoolDefinition -Cmdlet $PSCmdlet -Path $Pool -Member $Member
    $ca = $definition.request.ca
    if (-not $ca) {
        $PSCmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new(
            [System.ArgumentException]::new("Pool: the definition's Request has no CA; a pool-wide request sends every member's request to one (Request = @{ CA = 'acme:https://...' })."), 'CaRequired', 'InvalidArgument', $Pool))
    }
    $targets = @($definition.selected | ForEach-Object { New-OcsPoolTarget $_ })
    $wanted = @($definition.selected | Where-Object { $PSCmdlet.ShouldProcess($_.fqdn, "Request a certificate for $($_.names -join ', ') from $ca$(if ($Assign) { ' and assign it to ' + ($_.roles -join ', ') })") })
    if (-not $wanted) { return }
    try {
        # With http-01 every member listens (the pool name may point at one that is not requesting now).
        $http01 = $ca -match '^acme:' -and -not $definition.request.webRoot -and -not $definition.request.dnsHook
        $targets = Open-OcsPoolSession -Cmdlet $PSCmdlet -Pool $definition -ConnectingTimeoutSeconds $ConnectingTimeoutSeconds -InstallModule:$InstallModule -ThrottleLimit $ThrottleLimit -All:$http01
        if ($http01) { Open-OcsPoolChallengeListener -Pool $definition -Targets $targets -ThrottleLimit $ThrottleLimit }
        foreach ($t in $targets) { if ($t.Member.fqdn -notin $wanted.fqdn) { $t.Status = 'Skipped' } }
        $settings = @{}
        foreach ($p in $definition.request.PSObject.Properties) { $settings[$p.Name] = $p.Value }
        foreach ($p in $definition.nameInputs.PSObject.Properties) { $settings[$p.Name] = $p.Value }
        $settings['poolFqdn'] = $definition.poolFqdn
        if ($definition.trustAnchorPath -and -not $settings.ContainsKey('trustAnchorPath')) { $settings['trustAnchorPath'] = @($definition.trustAnchorPath) }
        if ($http01) { $settings['httpListener'] = $definition.challengeListener }
        if ($Assign) { $settings['assign'] = $true }
        $results = Invoke-OcsPoolMember -Targets $targets -ThrottleLimit $ThrottleLimit -Activity "Requesting certificates for pool $($definition.poolFqdn)" -Arguments {
            param($t)
            $s = $settings.Clone()
            foreach ($p in $t.Member.request.PSObject.Properties) { $s[$p.Name] = $p.Value }  # the member's own settings win
            $s['machineFqdn'] = $t.Member.fqdn
            $s['role'] = @($t.Member.roles)
            $s
        } -ScriptBlock {
            param($settings)
            foreach ($key in @($settings.Keys)) { if ($settings[$key] -is [System.Collections.IList]) { $settings[$key] = [string[]] @($settings[$key]) } }
            $out = @(New-OcsCertificateRequest @settings -Confirm:$false -ErrorAction Stop)
            $issued = $out | Where-Object { $_.PSObject.Properties['Thumbprint'] -and $_.Thumbprint } | Select-Object -Last 1
            $pending = $out | Where-Object { $_.PSObject.Properties['State'] -and -not $_.PSObject.Properties['NotAfter'] } | Select-Object -Last 1
            [pscustomobject]@{
                Thumbprint = if ($issued) { $issued.Thumbprint } else { $null }
                NotAfter   = if ($issued) { (Get-OcsCertificate -Thumbprint $issued.Thumbprint).NotAfter } else { $null }
                RequestId  = if ($pending) { $pending.Id } else { $null }
                State      = if ($issued) { 'Issued' } elseif ($pending) { [string] $pending.State } else { 'Unknown' }
            }
        }
        foreach ($t in $targets | Where-Object Status -eq 'Pending') {
            $r = $results[$t.Member.fqdn].Output | Select-Object -Last 1
            if ($r.State -eq 'Issued') { $t.Status = 'Succeeded' }
            else { Set-OcsPoolTargetFailed $t 'Failed' 'NotIssued' "The CA did not issue yet (request $($r.RequestId) is $($r.State)); Receive-OcsCertificate on the member collects it." }
            $t | Add-Member -NotePropertyName Result -NotePropertyValue $r -Force
        }
        foreach ($t in $targets) {
            $times = $results[$t.Member.fqdn]
            $t | Add-Member -NotePropertyName Times -NotePropertyValue $(if ($times) { $times } else { @{} }) -Force
        }
    }
    finally {
        if ($http01) { Close-OcsPoolChallengeListener -Pool $definition -Targets $targets }
        Close-OcsPoolSession $targets
    }
    $targets = @($targets | Where-Object { $_.Member.fqdn -in $wanted.fqdn })
    foreach ($t in $targets) {
        [pscustomobject]@{
            PSTypeName     = 'OcsCertificate.PoolMemberResult'
            Member         = $t.Member.fqdn
            PSComputerName = if ($t.Member.transport -eq 'ssh') { $t.Member.hostName } else { $t.Member.computerName }
            Status         = $t.Status
            Role           = [string[]] @($t.Member.roles)
            Thumbprint     = if ($t.PSObject.Properties['Result']) { $t.Result.Thumbprint } else { $null }
            NotAfter       = if ($t.PSObject.Properties['Result']) { $t.Result.NotAfter } else { $null }
            Assigned       = [bool] ($Assign -and $t.Status -eq 'Succeeded')
            ModuleVersion  = $t.Version
            Started        = $t.Times.Started
            Finished       = $t.Times.Finished
            ErrorId        = $t.ErrorId
            Error          = $t.Error
        }
    }
    Write-OcsPoolOutcome -Cmdlet $PSCmdlet -Targets $targets -Done 'got a certificate'
}
