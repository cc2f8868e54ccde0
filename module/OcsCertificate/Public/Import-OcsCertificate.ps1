function Import-OcsCertificate {
    <#
    .SYNOPSIS
    Imports a certificate with its private key from a PFX file: the wizard's "assign an existing certificate".

    .DESCRIPTION
    Opens the PFX with the password, checks that its key belongs to its certificate, and
    installs certificate, chain and key in the store. The key is not exportable unless
    -PrivateKeyExportable is given. Assign it afterwards with Set-OcsCertificate.

    .PARAMETER Path
    The PFX file.
    Alias: -FullName.

    .PARAMETER Password
    The PFX password, as a SecureString (Read-Host -AsSecureString).

    .PARAMETER PrivateKeyExportable
    Allows Export-OcsCertificate to write the key out again.

    .PARAMETER FriendlyName
    A meaningful name for the certificate.

    .PARAMETER StorePath
    The store folder; defaults to $env:OCSCERT_STORE, else the per-OS default.

    .EXAMPLE
    Import-OcsCertificate -Path existing.pfx -Password (Read-Host -AsSecureString)

    Imports the certificate and its key, not exportable.

    .EXAMPLE
    Import-OcsCertificate -Path existing.pfx -Password $pw | Set-OcsCertificate -Role FrontEnd, WebConferencing, AudioVideo

    Imports and assigns in one line.

    .INPUTS
    System.String or System.IO.FileInfo (by FullName): the PFX file; StorePath by property name.

    .OUTPUTS
    OcsCertificate.Certificate

    .LINK
    Export-OcsCertificate

    .LINK
    Set-OcsCertificate

    .LINK
    Get-OcsCertificate
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Low')]
    [OutputType('OcsCertificate.Certificate')]
    param(
        [Parameter(Mandatory, Position = 0, ValueFromPipelineByPropertyName)]
        [Alias('FullName')]
        [string] $Path,

        [Parameter(Mandatory)]
        [securestring] $Password,

        [switch] $PrivateKeyExportable,
        [string] $FriendlyName,

        [Parameter(ValueFromPipelineByPropertyName)]
        [string] $StorePath
    )
    process {
        $file = Resolve-OcsPath $PSCmdlet $Path 'Path'
        if (-not (Test-OcsShouldProcess -Cmdlet $PSCmdlet -Target $file -Action 'Import the certificate and its private key')) { return }
        $arguments = [ordered]@{
            path                 = $file
            password             = [System.Net.NetworkCredential]::new('', $Password).Password
            privateKeyExportable = $PrivateKeyExportable.IsPresent
        }
        if ($FriendlyName) { $arguments['friendlyName'] = $FriendlyName }
        $record = Invoke-OcsNative -Cmdlet $PSCmdlet -Operation certificate_import -Arguments $arguments -StorePath $StorePath
        foreach ($warning in $record.warnings) { Write-Warning "$($record.thumbprint): $warning" }
        ConvertTo-OcsCertificate -Record $record
    }
}
