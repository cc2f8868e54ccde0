function Set-OcsCertificate {
    <#
    .SYNOPSIS
    Assigns an installed certificate to this server's Front End, Web Conferencing and A/V roles.

    .DESCRIPTION
    The wizard's "Assign" step. Before anything changes, the certificate must pass every
    check (see Test-OcsCertificate): its private key is here and matches, it is valid now,
    it allows server and client authentication (pool servers use mutual TLS), it carries
    the names the roles need, its key is large enough, and it chains to a trusted root.
    The first failed check is named in the error and nothing changes.

    The roles switch together in one step: services read the certificate, chain and key
    from <store>/live/<Role>/ (cert.pem, chain.pem, fullchain.pem, key.pem), and the
    previous assignment is recorded so -Previous can return to it. The Web Components
    role is IIS's job and is refused.

    .PARAMETER Role
    FrontEnd, WebConferencing and/or AudioVideo. Taken from a piped object's Role property (a
    binding from Get-OcsCertificateBinding) when not given.

    .PARAMETER Thumbprint
    The SHA-1 thumbprint of an installed certificate (Get-OcsCertificate).

    .PARAMETER Previous
    Returns the roles to the certificate they used before the last change.

    .PARAMETER EffectiveDate
    Schedules a roll-over instead of switching now (as Set-CsCertificate -Roll does): the
    roles keep their certificate until this time, then Update-OcsCertificateBinding (run by
    the scheduled renewal job) switches them. The certificate is checked as it will stand then.

    .PARAMETER PoolFqdn
    The pool FQDN to check names against; by default the names come from the request the certificate was issued for.

    .PARAMETER SipDomain
    With -PoolFqdn: the SIP domains, for the sip.<domain> names.

    .PARAMETER AutomaticSignIn
    With -PoolFqdn: clients use automatic configuration.

    .PARAMETER SignInRedirect
    With -PoolFqdn: the pool authenticates and redirects sign-in.

    .PARAMETER Topology
    With -PoolFqdn: Consolidated or Expanded.

    .PARAMETER MachineFqdn
    With -PoolFqdn: this computer's FQDN.

    .PARAMETER TrustAnchorPath
    PEM files or folders of trusted root certificates, in addition to the system's.

    .PARAMETER StorePath
    The store folder; defaults to $env:OCSCERT_STORE, else the per-OS default.

    .EXAMPLE
    Set-OcsCertificate -Role FrontEnd, WebConferencing, AudioVideo -Thumbprint 3F2A... -WhatIf

    Shows what would be assigned; changes nothing.

    .EXAMPLE
    Get-OcsCertificate -Thumbprint 3F2A... | Set-OcsCertificate -Role FrontEnd -TrustAnchorPath ./contoso-root.pem

    Assigns a certificate issued by an internal CA whose root is not in the system store.

    .EXAMPLE
    Set-OcsCertificate -Role FrontEnd, WebConferencing, AudioVideo -Thumbprint 3F2A... -EffectiveDate '2026-12-01 02:00'

    Every pool member is given the new certificate now; each switches at 02:00, together.

    .EXAMPLE
    Set-OcsCertificate -Role FrontEnd -Previous

    Rolls the Front End role back to the certificate it used before.

    .EXAMPLE
    Get-OcsCertificateBinding | Where-Object PreviousThumbprint | Set-OcsCertificate -Previous

    Rolls every role that changed back to the certificate it used before.

    .INPUTS
    OcsCertificate.Certificate or OcsCertificate.CertificateBinding, or any object with a Thumbprint (and Role, StorePath) property.

    .OUTPUTS
    OcsCertificate.CertificateBinding

    .LINK
    Get-OcsCertificateBinding

    .LINK
    Test-OcsCertificate

    .LINK
    Update-OcsCertificateBinding
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium', DefaultParameterSetName = 'Thumbprint')]
    [OutputType('OcsCertificate.CertificateBinding')]
    param(
        [Parameter(Mandatory, ValueFromPipelineByPropertyName)]
        [ArgumentCompletions('FrontEnd', 'WebConferencing', 'AudioVideo')]
        [string[]] $Role,

        [Parameter(Mandatory, ParameterSetName = 'Thumbprint', Position = 0, ValueFromPipelineByPropertyName)]
        [string] $Thumbprint,

        [Parameter(Mandatory, ParameterSetName = 'Previous')]
        [switch] $Previous,

        [Parameter(ParameterSetName = 'Thumbprint')]
        [datetime] $EffectiveDate,

        [string] $PoolFqdn,
        [string[]] $SipDomain,
        [switch] $AutomaticSignIn,
        [switch] $SignInRedirect,
        [ValidateSet('Consolidated', 'Expanded')] [string] $Topology,
        [string] $MachineFqdn,
        [string[]] $TrustAnchorPath,

        [Parameter(ValueFromPipelineByPropertyName)]
        [string] $StorePath
    )
    begin { $commandLine = @{} + $PSBoundParameters }
    process {
        $arguments = ConvertTo-OcsArguments -Cmdlet $PSCmdlet -CommandLine $commandLine -Exclude 'StorePath', 'TrustAnchorPath', 'EffectiveDate'
        if ($PSBoundParameters.ContainsKey('EffectiveDate')) {
            $arguments['effectiveDate'] = $EffectiveDate.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", [cultureinfo]::InvariantCulture)
        }
        if ($TrustAnchorPath) { $arguments['trustAnchorPath'] = @($TrustAnchorPath | ForEach-Object { Resolve-OcsPath $PSCmdlet $_ 'TrustAnchorPath' }) }
        $what = if ($Previous) { 'the previous certificate' } else { "certificate $Thumbprint" }
        if ($arguments.Contains('effectiveDate')) { $what += " from $($arguments['effectiveDate'])" }
        $detail = if ($WhatIfPreference -or $PSBoundParameters.ContainsKey('Confirm')) { Get-OcsAssignmentPreview -Cmdlet $PSCmdlet -Arguments $arguments -StorePath $StorePath }
        if (-not (Test-OcsShouldProcess -Cmdlet $PSCmdlet -Target ($Role -join ', ') -Action "Assign $what" -Detail $detail)) { return }
        $result = Invoke-OcsNative -Cmdlet $PSCmdlet -Operation binding_set -Arguments $arguments -StorePath $StorePath
        foreach ($name in $result.assigned) {
            $entry = $result.roles.$name
            $entry | Add-Member -NotePropertyName role -NotePropertyValue $name
            $entry | Add-Member -NotePropertyName livePath -NotePropertyValue (Join-Path $result.livePath $name)
            $entry | Add-Member -NotePropertyName storePath -NotePropertyValue $result.storePath
            ConvertTo-OcsCertificateBinding -Entry $entry
        }
    }
}
