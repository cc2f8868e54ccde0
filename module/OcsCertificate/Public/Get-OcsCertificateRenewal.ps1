function Get-OcsCertificateRenewal {
    <#
    .SYNOPSIS
    Shows the registered renewal job of a store: scheduler, files, schedule, last run and its result.

    .DESCRIPTION
    Reads what Register-OcsCertificateRenewal recorded in <store>/renewal/registration.json, and the
    last run as Update-OcsCertificate recorded it in <store>/renewal/status.json (started, finished,
    result Succeeded, Failed or NothingDue, how many renewed and failed); the last-run properties
    are empty until the job has run. Returns nothing when no job is registered. A registered file
    that is gone (removed by hand) is listed in MissingFiles, with a warning.

    .PARAMETER StorePath
    The store folder; defaults to $env:OCSCERT_STORE, else the per-OS default.

    .EXAMPLE
    Get-OcsCertificateRenewal

    The job of the default store: scheduler, name, when registered, last run and result.

    .EXAMPLE
    Get-OcsCertificateRenewal | Format-List Scheduler, Schedule, Files, LastRunFinished, LastResult, LastFailed

    Everything about the job, one property a line.

    .EXAMPLE
    Invoke-Command -Session $pool { Get-OcsCertificateRenewal } | Format-Table PSComputerName, LastRunFinished, LastResult

    Checks that every pool member's job ran and renewed what was due.

    .INPUTS
    Objects with a StorePath property.

    .OUTPUTS
    OcsCertificate.RenewalRegistration

    .LINK
    Register-OcsCertificateRenewal

    .LINK
    Unregister-OcsCertificateRenewal

    .LINK
    Update-OcsCertificate
    #>
    [CmdletBinding()]
    [OutputType('OcsCertificate.RenewalRegistration')]
    param(
        [Parameter(ValueFromPipelineByPropertyName)]
        [string] $StorePath
    )
    process {
        if ($StorePath) { $StorePath = Resolve-OcsPath $PSCmdlet $StorePath 'StorePath' }
        $record = Invoke-OcsNative -Cmdlet $PSCmdlet -Operation renewal_registration -Arguments ([ordered]@{}) -StorePath $StorePath
        foreach ($warning in $record.warnings) { Write-Warning $warning }  # the store does not exist
        if (-not $record.name) {
            Write-Verbose "No renewal job is registered for the store '$($record.storePath)'."
            return
        }
        foreach ($missing in $record.missingFiles) {
            Write-Warning "'$missing' of the renewal job $($record.name) is gone; run Register-OcsCertificateRenewal again to restore it."
        }
        ConvertTo-OcsRenewalRegistration -Record $record
    }
}
