function Update-OcsCertificateBinding {
    <#
    .SYNOPSIS
    Carries out the scheduled certificate roll-overs that are due.

    .DESCRIPTION
    Set-OcsCertificate -EffectiveDate schedules a roll-over; this switches every role whose
    time has come, each in one step, and returns the new bindings. Nothing to do is not an
    error: run it from the scheduled renewal job as often as you like.

    .PARAMETER StorePath
    The store folder; defaults to $env:OCSCERT_STORE, else the per-OS default.

    .EXAMPLE
    Update-OcsCertificateBinding

    Switches the roles whose roll-over time has passed.

    .EXAMPLE
    Update-OcsCertificateBinding -StorePath D:\OcsCert

    The same for another store. The scheduled renewal job (Update-OcsCertificate, registered
    with Register-OcsCertificateRenewal) carries out due roll-overs too, twice a day; run this
    for a roll-over that must happen closer to its time.

    .INPUTS
    Objects with a StorePath property.

    .OUTPUTS
    OcsCertificate.CertificateBinding

    .LINK
    Set-OcsCertificate

    .LINK
    Register-OcsCertificateRenewal
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Low')]
    [OutputType('OcsCertificate.CertificateBinding')]
    param(
        [Parameter(ValueFromPipelineByPropertyName)]
        [string] $StorePath
    )
    process {
        if (-not (Test-OcsShouldProcess -Cmdlet $PSCmdlet -Target 'scheduled roll-overs' -Action 'Switch the roles whose roll-over is due')) { return }
        $result = Invoke-OcsNative -Cmdlet $PSCmdlet -Operation binding_apply -Arguments ([ordered]@{}) -StorePath $StorePath
        # The same store, given or not: an empty -StorePath is refused, so it is passed only when there is one.
        $store = if ($StorePath) { @{ StorePath = $StorePath } } else { @{} }
        if ($result.applied) { Get-OcsCertificateBinding -Role $result.applied @store }
    }
}
