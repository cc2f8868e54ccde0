function Export-OcsCertificate {
    <#
    .SYNOPSIS
    Writes an installed certificate to a file: the public part always, the key only if it was made exportable.

    .DESCRIPTION
    Without -Password, writes the public certificate (PEM, or DER with -Encoding Der).
    With -Password, writes a PFX holding certificate, chain and private key — refused
    unless the key was created or imported as exportable. The file is written beside its
    target and moved into place, so it is never half-written.

    .PARAMETER Thumbprint
    The certificate's SHA-1 thumbprint.

    .PARAMETER Path
    The file to write.

    .PARAMETER Password
    Protects the PFX; asks for the private key to be included.

    .PARAMETER Encoding
    Pem (default) or Der, for the public certificate.

    .PARAMETER Force
    Overwrites an existing file.

    .PARAMETER StorePath
    The store folder; defaults to $env:OCSCERT_STORE, else the per-OS default.

    .EXAMPLE
    Export-OcsCertificate -Thumbprint 3F2A... -Path pub.cer -Encoding Der

    The public certificate, as Windows' .cer files usually are.

    .EXAMPLE
    Export-OcsCertificate -Thumbprint 3F2A... -Path key.pfx -Password (Read-Host -AsSecureString)

    Certificate and key for another pool member; refused for a non-exportable key.

    .INPUTS
    OcsCertificate.Certificate, or any object with a Thumbprint (and StorePath) property.

    .OUTPUTS
    System.IO.FileInfo: the file written.

    .LINK
    Get-OcsCertificate

    .LINK
    Import-OcsCertificate
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    [OutputType([System.IO.FileInfo])]
    param(
        [Parameter(Mandatory, ValueFromPipelineByPropertyName)]
        [string] $Thumbprint,

        [Parameter(Mandatory, Position = 0)]
        [string] $Path,

        [securestring] $Password,

        [ValidateSet('Pem', 'Der')]
        [string] $Encoding = 'Pem',

        [switch] $Force,

        [Parameter(ValueFromPipelineByPropertyName)]
        [string] $StorePath
    )
    process {
        $file = Resolve-OcsPath $PSCmdlet $Path 'Path'
        $what = if ($Password) { 'Export the certificate with its private key (PFX)' } else { 'Export the public certificate' }
        if (-not (Test-OcsShouldProcess -Cmdlet $PSCmdlet -Target "$Thumbprint -> $file" -Action $what)) { return }
        $arguments = [ordered]@{ thumbprint = $Thumbprint; path = $file; encoding = $Encoding; force = $Force.IsPresent }
        if ($Password) { $arguments['password'] = [System.Net.NetworkCredential]::new('', $Password).Password }
        $null = Invoke-OcsNative -Cmdlet $PSCmdlet -Operation certificate_export -Arguments $arguments -StorePath $StorePath
        Get-Item -LiteralPath $file
    }
}
