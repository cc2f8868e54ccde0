function Resolve-OcsCertificateName {
    <#
    .SYNOPSIS
    Shows the subject and Subject Alternative Names a pool server's certificate needs, and why each is there.

    .DESCRIPTION
    Applies the rules of the Office Communications Server 2007 Certificates Wizard:
    the subject is the pool FQDN, which is also the first alternative name; sip.<domain>
    names are added for every SIP domain when the pool does automatic client sign-in or
    sign-in redirection; the computer's own FQDN is added when asked, and by default for
    Web Conferencing and A/V Conferencing servers in the expanded topology; then the
    names you add. Names are normalised (lower case, no trailing dot, international
    names as A-labels) and de-duplicated. Nothing is written.

    Invalid names, wildcards, the Web Components role (its certificate is IIS's job) and
    name lists too large for a Windows enterprise CA are refused with an error naming the
    parameter.

    .PARAMETER Role
    The server roles the certificate is for: FrontEnd, WebConferencing, AudioVideo.

    .PARAMETER Topology
    Consolidated (every role on the Front End servers; the default) or Expanded.

    .PARAMETER PoolFqdn
    The pool's fully qualified domain name: the certificate's subject.

    .PARAMETER SipDomain
    The SIP domains the organisation supports.

    .PARAMETER AutomaticSignIn
    Clients use automatic configuration (automatic logon) against this pool.

    .PARAMETER SignInRedirect
    This pool authenticates and redirects client sign-in requests.

    .PARAMETER IncludeMachineName
    Adds the local computer's FQDN; -IncludeMachineName:$false leaves it out even where the role adds it by default.

    .PARAMETER MachineFqdn
    The computer's FQDN to add; defaults to the local computer's FQDN.

    .PARAMETER DomainName
    Further alternative names that identify the pool during authentication.
    Alias: -AlternativeName.

    .EXAMPLE
    Resolve-OcsCertificateName -Role FrontEnd -PoolFqdn pool01.contoso.com -SipDomain contoso.com, fabrikam.com -AutomaticSignIn

    Lists pool01.contoso.com, sip.contoso.com and sip.fabrikam.com with the reason for each.

    .EXAMPLE
    Resolve-OcsCertificateName -Role AudioVideo -Topology Expanded -PoolFqdn pool01.contoso.com -MachineFqdn av01.contoso.com

    An A/V Conferencing server in the expanded topology: its own FQDN is added by default.

    .EXAMPLE
    Import-Csv pools.csv | Resolve-OcsCertificateName -Role FrontEnd

    Resolves the names of every pool in a CSV file with PoolFqdn and SipDomain columns.

    .INPUTS
    A pool FQDN (string), or objects whose properties are named like the parameters: PoolFqdn, SipDomain, MachineFqdn and the switches.

    .OUTPUTS
    OcsCertificate.CertificateName

    .LINK
    New-OcsCertificateRequest
    #>
    [CmdletBinding()]
    [OutputType('OcsCertificate.CertificateName')]
    param(
        [Parameter(ValueFromPipelineByPropertyName)]
        [ArgumentCompletions('FrontEnd', 'WebConferencing', 'AudioVideo')]
        [string[]] $Role = @('FrontEnd'),

        [Parameter(ValueFromPipelineByPropertyName)]
        [ValidateSet('Consolidated', 'Expanded')]
        [string] $Topology = 'Consolidated',

        [Parameter(Mandatory, Position = 0, ValueFromPipeline, ValueFromPipelineByPropertyName)]
        [string] $PoolFqdn,

        [Parameter(ValueFromPipelineByPropertyName)]
        [string[]] $SipDomain,

        [Parameter(ValueFromPipelineByPropertyName)]
        [switch] $AutomaticSignIn,

        [Parameter(ValueFromPipelineByPropertyName)]
        [switch] $SignInRedirect,

        [Parameter(ValueFromPipelineByPropertyName)]
        [switch] $IncludeMachineName,

        [Parameter(ValueFromPipelineByPropertyName)]
        [string] $MachineFqdn,

        [Parameter(ValueFromPipelineByPropertyName)]
        [Alias('AlternativeName')]
        [string[]] $DomainName
    )
    begin { $commandLine = @{} + $PSBoundParameters }
    process {
        $arguments = ConvertTo-OcsArguments -Cmdlet $PSCmdlet -CommandLine $commandLine
        $arguments['role'] = $Role
        $arguments['topology'] = $Topology
        $result = Invoke-OcsNative -Cmdlet $PSCmdlet -Operation names_resolve -Arguments $arguments
        foreach ($warning in $result.warnings) { Write-Warning $warning }
        foreach ($name in $result.names) { ConvertTo-OcsCertificateName -Name $name -PoolFqdn $result.commonName }
    }
}
