function Get-OcsCertificate {
    <#
    .SYNOPSIS
    Lists the certificates installed in the store.

    .DESCRIPTION
    Shows each installed certificate with its SHA-1 thumbprint (as Windows shows it),
    subject, alternative names, validity, key usages and whether its private key is
    here and exportable. Sorted by expiry, soonest first.

    .PARAMETER Thumbprint
    Only the certificate with this SHA-1 thumbprint (case does not matter).

    .PARAMETER ExpiringWithinDays
    Only certificates that expire within this many days from now (expired ones included).

    .PARAMETER StorePath
    The store folder; defaults to $env:OCSCERT_STORE, else the per-OS default.

    .EXAMPLE
    Get-OcsCertificate | Format-Table

    Every installed certificate.

    .EXAMPLE
    Get-OcsCertificate -ExpiringWithinDays 30

    What needs renewing this month.

    .INPUTS
    Objects with a Thumbprint or StorePath property.

    .OUTPUTS
    OcsCertificate.Certificate

    .LINK
    Set-OcsCertificate

    .LINK
    Test-OcsCertificate

    .LINK
    Export-OcsCertificate

    .LINK
    Remove-OcsCertificate
    #>
    [CmdletBinding()]
    [OutputType('OcsCertificate.Certificate')]
    param(
        [Parameter(Position = 0, ValueFromPipelineByPropertyName)]
        [string] $Thumbprint,

        [ValidateRange(0, 36500)]
        [int] $ExpiringWithinDays = -1,

        [Parameter(ValueFromPipelineByPropertyName)]
        [string] $StorePath
    )
    process {
        $limit = if ($ExpiringWithinDays -ge 0) { [datetime]::UtcNow.AddDays($ExpiringWithinDays) } else { [datetime]::MaxValue }
        foreach ($record in Invoke-OcsList -Cmdlet $PSCmdlet -Operation certificate_list -Filter @{ thumbprint = $Thumbprint } -Property certificates -StorePath $StorePath) {
            $certificate = ConvertTo-OcsCertificate -Record $record
            if ($certificate.NotAfter -le $limit) { $certificate }
        }
    }
}
