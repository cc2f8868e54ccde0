function Test-OcsCertificate {
    <#
    .SYNOPSIS
    Checks a role's certificate (or any installed one) the way assignment does, and reports each check.

    .DESCRIPTION
    One result per check — PrivateKey, Validity, ServerAuthentication, ClientAuthentication,
    Names, KeySize, Chain — with whether it passed and why. Nothing changes. A role whose
    certificate is no longer installed gets one failed check, Installed, that says so.

    .PARAMETER Role
    The role whose assigned certificate to check.

    .PARAMETER Thumbprint
    Checks this installed certificate instead.

    .PARAMETER InputObject
    What Get-OcsCertificateBinding, Get-OcsCertificate or Import-OcsCertificate
    output: a binding is checked as its role (with the trust remembered for it), a
    certificate by its thumbprint.

    .PARAMETER PoolFqdn
    The pool FQDN to check names against; by default the names come from the certificate's request.

    .PARAMETER Peer
    host:port of another pool server (or any TLS endpoint that asks for a client
    certificate): also makes a real mutual-TLS handshake with this certificate and
    reports PeerConnect, PeerHandshake, PeerCertificateTrusted and PeerName.

    .PARAMETER PeerName
    The name the peer's certificate must carry; defaults to the host part of -Peer.

    .PARAMETER TimeoutSeconds
    How long to wait for the peer (default 5).

    .PARAMETER TrustAnchorPath
    PEM files or folders of trusted root certificates, in addition to the system's.

    .PARAMETER StorePath
    The store folder; defaults to $env:OCSCERT_STORE, else the per-OS default.

    .EXAMPLE
    Test-OcsCertificate -Role FrontEnd

    Shows each check of the Front End certificate.

    .EXAMPLE
    Test-OcsCertificate -Role FrontEnd -Peer fe02.contoso.com:5061 -PeerName pool01.contoso.com

    Proves that this server and fe02 authenticate each other with their certificates.

    .EXAMPLE
    Test-OcsCertificate -Role FrontEnd | Where-Object { -not $_.Passed }

    Only what is wrong.

    .EXAMPLE
    Get-OcsCertificateBinding | Test-OcsCertificate

    Checks every role's certificate; the table has a group per certificate and role.

    .INPUTS
    OcsCertificate.CertificateBinding, OcsCertificate.Certificate, or any object with a Thumbprint property

    .OUTPUTS
    OcsCertificate.CheckResult

    .LINK
    Set-OcsCertificate

    .LINK
    Get-OcsCertificateBinding
    #>
    [CmdletBinding(DefaultParameterSetName = 'Role')]
    [OutputType('OcsCertificate.CheckResult')]
    param(
        [Parameter(Mandatory, ParameterSetName = 'Role', Position = 0)]
        [ArgumentCompletions('FrontEnd', 'WebConferencing', 'AudioVideo')]
        [string] $Role,

        [Parameter(Mandatory, ParameterSetName = 'Thumbprint')]
        [string] $Thumbprint,

        [Parameter(Mandatory, ParameterSetName = 'InputObject', ValueFromPipeline)]
        [psobject] $InputObject,

        [string] $PoolFqdn,
        [string] $Peer,
        [string] $PeerName,
        [ValidateRange(1, 300)] [int] $TimeoutSeconds = 5,
        [string[]] $TrustAnchorPath,

        [string] $StorePath
    )
    process {
        if ($InputObject) {
            # A binding names a role (its checks use the trust remembered for it); anything else is a certificate.
            $isBinding = $InputObject.PSObject.TypeNames -match '^(Deserialized\.)?OcsCertificate\.CertificateBinding$'
            if ($isBinding) { $Role = $InputObject.Role; $Thumbprint = $null }
            else { $Role = $null; $Thumbprint = $InputObject.Thumbprint }
            if (-not $Role -and -not $Thumbprint) {
                $PSCmdlet.WriteError([System.Management.Automation.ErrorRecord]::new(
                        [System.ArgumentException]::new('InputObject: this object has neither a Role (a binding) nor a Thumbprint (a certificate) to check.'),
                        'InvalidInputObject', 'InvalidArgument', $InputObject))
                return
            }
            if (-not $PSBoundParameters.ContainsKey('StorePath') -and $InputObject.StorePath) { $StorePath = $InputObject.StorePath }
        }
        $arguments = [ordered]@{}
        if ($Role) { $arguments['role'] = @($Role) }
        if ($Thumbprint) { $arguments['thumbprint'] = $Thumbprint }
        if ($PoolFqdn) { $arguments['poolFqdn'] = $PoolFqdn; if (-not $Role) { $arguments['role'] = @('FrontEnd') } }
        if ($Peer) { $arguments['peer'] = $Peer; $arguments['timeoutSeconds'] = $TimeoutSeconds }
        if ($PeerName) { $arguments['peerName'] = $PeerName }
        if ($TrustAnchorPath) { $arguments['trustAnchorPath'] = @($TrustAnchorPath | ForEach-Object { Resolve-OcsPath $PSCmdlet $_ 'TrustAnchorPath' }) }
        $result = Invoke-OcsNative -Cmdlet $PSCmdlet -Operation certificate_test -Arguments $arguments -StorePath $StorePath
        foreach ($check in $result.checks) { ConvertTo-OcsCheckResult -Check $check -Thumbprint $result.thumbprint -Target $Role }
        $Role = $null; $Thumbprint = $null  # the next pipeline item brings its own
    }
}
