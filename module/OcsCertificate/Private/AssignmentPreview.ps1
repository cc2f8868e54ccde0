# What -WhatIf and -Confirm show: the certificate -Previous would return to, and the outcome of
# the checks the assignment would run (the same checks, through ocscert_certificate_test).
function Get-OcsAssignmentPreview {
    param(
        [Parameter(Mandatory)] [System.Management.Automation.PSCmdlet] $Cmdlet,
        [Parameter(Mandatory)] [System.Collections.IDictionary] $Arguments,
        [string] $StorePath
    )
    $test = [ordered]@{} + $Arguments
    $lines = @()
    if ($Arguments['previous']) {
        $bindings = @(Invoke-OcsList -Cmdlet $Cmdlet -Operation binding_list -Filter @{ role = $Arguments['role'] } -Property bindings -StorePath $StorePath)
        $byRole = [ordered]@{}
        foreach ($role in $Arguments['role']) {
            $binding = $bindings | Where-Object { $_ -and $_.role -eq $role }
            if (-not $binding -or -not $binding.previous) { return "The $role role has no previous certificate to return to: the assignment would be refused." }
            $byRole[$role] = $binding
        }
        # The roll-back takes all roles to one certificate, so roles that used different ones are refused
        # (binding_set's PreviousDiffers): say so, rather than preview the first role's certificate for all.
        $previousThumbprints = @($byRole.Values | ForEach-Object { $_.previous.thumbprint } | Select-Object -Unique)
        if ($previousThumbprints.Count -gt 1) {
            $each = @($byRole.Keys | ForEach-Object { "$_ to $($byRole[$_].previous.thumbprint)" }) -join ', '
            return "The roles would return to different previous certificates ($each): the assignment would be refused (PreviousDiffers). Roll them back one at a time."
        }
        foreach ($role in $byRole.Keys) {
            $binding = $byRole[$role]
            $lines += "$role would return to $($binding.previous.thumbprint) (issued by $($binding.previous.issuer)), the certificate it used until $('{0:yyyy-MM-dd HH:mm} UTC' -f (ConvertFrom-OcsTime $binding.since))."
        }
        $test['thumbprint'] = $previousThumbprints[0]
        $test.Remove('previous')
    }
    $test.Remove('effectiveDate')
    $checks = @((Invoke-OcsNative -Cmdlet $Cmdlet -Operation certificate_test -Arguments $test -StorePath $StorePath).checks)
    $failed = @($checks | Where-Object { -not $_.passed })
    $lines += if ($failed) {
        "The $($failed[0].check) check fails, so the assignment would be refused: $($failed[0].detail)"
    }
    else { "All $($checks.Count) checks pass ($(($checks.check) -join ', '))." }
    $lines -join "`n"
}

