function Get-OcsCertificateBinding {
    <#
    .SYNOPSIS
    Shows which certificate each role of this server uses, since when, and which it used before.

    .DESCRIPTION
    Per role: thumbprint, subject, issuer and serial number (what OCS recorded), since when,
    the previous certificate, and LivePath, the folder where services find cert.pem,
    chain.pem, fullchain.pem and key.pem.

    .PARAMETER Role
    Only these roles.

    .PARAMETER StorePath
    The store folder; defaults to $env:OCSCERT_STORE, else the per-OS default.

    .EXAMPLE
    Get-OcsCertificateBinding

    Every role's assignment.

    .EXAMPLE
    Invoke-Command -ComputerName fe01, fe02 { Get-OcsCertificateBinding -Role FrontEnd } | Format-Table PSComputerName, Thumbprint, NotAfter

    Checks that every pool member uses the same certificate.

    .INPUTS
    Objects with a StorePath property.

    .OUTPUTS
    OcsCertificate.CertificateBinding

    .LINK
    Set-OcsCertificate

    .LINK
    Test-OcsCertificate

    .LINK
    Update-OcsCertificateBinding
    #>
    [CmdletBinding()]
    [OutputType('OcsCertificate.CertificateBinding')]
    param(
        [Parameter(Position = 0)]
        [ArgumentCompletions('FrontEnd', 'WebConferencing', 'AudioVideo')]
        [string[]] $Role,

        [Parameter(ValueFromPipelineByPropertyName)]
        [string] $StorePath
    )
    process {
        foreach ($entry in Invoke-OcsList -Cmdlet $PSCmdlet -Operation binding_list -Filter @{ role = $Role } -Property bindings -StorePath $StorePath) {
            ConvertTo-OcsCertificateBinding -Entry $entry
        }
    }
}
