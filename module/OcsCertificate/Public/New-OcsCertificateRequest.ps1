function New-OcsCertificateRequest {
    <#
    .SYNOPSIS
    Creates a private key and a PKCS#10 certificate request for a pool server, and keeps both as a pending request.

    .DESCRIPTION
    Does what the Certificates Wizard's "Create a new certificate" pages did: the subject
    is the pool FQDN, the alternative names follow the wizard's rules (see
    Resolve-OcsCertificateName), the key is RSA 2048/3072/4096 or ECDSA P-256/P-384 and is
    not exportable unless you say so, the organisation and location go into the subject,
    and the request asks for server and client authentication (pool servers authenticate
    each other with mutual TLS).

    The key and every input stay in the local store as a pending request, so the CA's
    answer can be matched to it later, even from another session. With -OutFile the
    request is also written to a file for a CA (the wizard's offline request). Nothing is
    written if any input is wrong, and -WhatIf writes nothing at all.

    .PARAMETER Role
    The server roles the certificate is for: FrontEnd, WebConferencing, AudioVideo.

    .PARAMETER Topology
    Consolidated (every role on the Front End servers; the default) or Expanded.

    .PARAMETER PoolFqdn
    The pool's fully qualified domain name: the certificate's subject.

    .PARAMETER SipDomain
    The SIP domains the organisation supports, e.g. contoso.com ('sip.' is added for each
    when the pool signs clients in automatically; a warning says so if one begins with 'sip.').

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

    .PARAMETER FriendlyName
    A meaningful name for the certificate.

    .PARAMETER KeyAlgorithm
    RSA (default), ECDSA_P256 or ECDSA_P384.

    .PARAMETER KeySize
    RSA key size: 2048 (default), 3072 or 4096. 1024 only with -AllowWeakKey.

    .PARAMETER AllowWeakKey
    Permits a 1024-bit RSA key, with a warning.

    .PARAMETER Organization
    The organisation's name (subject O).
    Alias: -O.

    .PARAMETER OrganizationalUnit
    The organisational unit (subject OU), optional.
    Alias: -OU.

    .PARAMETER Country
    The ISO 3166 two-letter country code, e.g. US.
    Alias: -C.

    .PARAMETER State
    The state or province, in full: Washington, not WA.
    Alias: -S.

    .PARAMETER City
    The city or locality, in full.
    Alias: -L.

    .PARAMETER ServerAuthenticationOnly
    Asks for server authentication only, without client authentication. The pool's servers
    authenticate each other with mutual TLS, so Set-OcsCertificate refuses such a certificate
    (the ClientAuthentication check); use it only for a CA that adds client authentication
    itself, or for a certificate not meant for a role. A warning says so.

    .PARAMETER Template
    The certificate template name a Microsoft enterprise CA should use, e.g. WebServer.

    .PARAMETER PrivateKeyExportable
    Marks the key exportable. The wizard's advice is to leave it cleared.

    .PARAMETER OutFile
    Writes the request to this file for the CA. An existing file is kept unless -Force is given.
    Aliases: -Output, -RequestFile.

    .PARAMETER Encoding
    Pem (Base64, the default) or Der for the file.

    .PARAMETER Force
    Overwrites an existing -OutFile.

    .PARAMETER CA
    Sends the request at once to this online CA (acme:<directory URL> or scep:<URL>) and installs what it issues; see Submit-OcsCertificateRequest. The request is kept either way.

    .PARAMETER Credential
    With -CA: ACME external account binding (key id, HMAC key), or the SCEP/NDES challenge password.

    .PARAMETER CaBundle
    With -CA: PEM roots for the CA's HTTPS endpoint, when they are not the system's.

    .PARAMETER CaFingerprint
    With a scep: CA: the fingerprint the CA certificate must have.

    .PARAMETER HttpListener
    With an acme: CA: host:port of the built-in http-01 listener (default 0.0.0.0:80).

    .PARAMETER WebRoot
    With an acme: CA: a web root to answer http-01 from instead.

    .PARAMETER DnsHook
    With an acme: CA: a program that publishes dns-01 TXT records.

    .PARAMETER Contact
    With an acme: CA: an e-mail address for the account.

    .PARAMETER TimeoutSeconds
    With -CA: how long one HTTP exchange with the CA may take (default 30).

    .PARAMETER WaitSeconds
    With -CA: how long to wait for issuance before leaving the request waiting at the CA (default 120).

    .PARAMETER Assign
    With -CA: assigns the issued certificate to the roles, after Set-OcsCertificate's checks.

    .PARAMETER TrustAnchorPath
    With -Assign: PEM files of further trusted roots for the chain check.

    .PARAMETER StorePath
    The store folder; defaults to $env:OCSCERT_STORE, else the per-OS default.

    .EXAMPLE
    New-OcsCertificateRequest -Role FrontEnd -PoolFqdn pool01.contoso.com -SipDomain contoso.com, fabrikam.com -AutomaticSignIn -IncludeMachineName -MachineFqdn fe01.contoso.com -FriendlyName 'OCS pool01' -KeySize 2048 -Organization Contoso -OrganizationalUnit IT -Country US -State Washington -City Redmond -OutFile pool01.req

    Writes pool01.req for the CA and keeps the key as a pending request.

    .EXAMPLE
    New-OcsCertificateRequest -Role AudioVideo -Topology Expanded -PoolFqdn pool01.contoso.com -KeyAlgorithm ECDSA_P256 -Organization Contoso -Country US -State Washington -City Redmond -WhatIf

    Shows what would be created; writes nothing.

    .EXAMPLE
    Import-Csv servers.csv | New-OcsCertificateRequest -Organization Contoso -Country US -State Washington -City Redmond

    One request per row; the CSV's PoolFqdn, Role, MachineFqdn and SipDomain columns bind by name.

    .EXAMPLE
    New-OcsCertificateRequest -Role FrontEnd -PoolFqdn pool01.contoso.com -SipDomain contoso.com -AutomaticSignIn -Organization Contoso -Country US -State Washington -City Redmond -CA 'acme:https://ca.contoso.com/acme/directory' -Assign

    The whole wizard in one command: key and request, sent to the ACME CA, installed and assigned to the Front End role.

    .EXAMPLE
    New-OcsCertificateRequest pool01.contoso.com -Organization Contoso -Country US -State Washington -City Redmond -CA 'scep:https://ndes.contoso.com/certsrv/mscep/mscep.dll' -Credential $ndes

    Sends the request to an enterprise CA through NDES; if the CA wants approval the request waits (Receive-OcsCertificate).

    .INPUTS
    Objects (such as the rows of Import-Csv) whose properties are named like the parameters: PoolFqdn, SipDomain, DomainName, Organization, Country and the rest.

    .OUTPUTS
    OcsCertificate.CertificateRequest; with -CA, OcsCertificate.Certificate once issued

    .LINK
    Resolve-OcsCertificateName

    .LINK
    Submit-OcsCertificateRequest

    .LINK
    Complete-OcsCertificateRequest

    .LINK
    Set-OcsCertificate
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Low')]
    [OutputType('OcsCertificate.CertificateRequest')]
    param(
        [Parameter(ValueFromPipelineByPropertyName)]
        [ArgumentCompletions('FrontEnd', 'WebConferencing', 'AudioVideo')]
        [string[]] $Role = @('FrontEnd'),

        [Parameter(ValueFromPipelineByPropertyName)]
        [ValidateSet('Consolidated', 'Expanded')]
        [string] $Topology = 'Consolidated',

        [Parameter(Mandatory, Position = 0, ValueFromPipelineByPropertyName)]
        [string] $PoolFqdn,

        [Parameter(ValueFromPipelineByPropertyName)] [string[]] $SipDomain,
        [Parameter(ValueFromPipelineByPropertyName)] [switch] $AutomaticSignIn,
        [Parameter(ValueFromPipelineByPropertyName)] [switch] $SignInRedirect,
        [Parameter(ValueFromPipelineByPropertyName)] [switch] $IncludeMachineName,
        [Parameter(ValueFromPipelineByPropertyName)] [string] $MachineFqdn,
        [Parameter(ValueFromPipelineByPropertyName)] [Alias('AlternativeName')] [string[]] $DomainName,

        [Parameter(ValueFromPipelineByPropertyName)] [string] $FriendlyName,
        [ArgumentCompletions('RSA', 'ECDSA_P256', 'ECDSA_P384')] [string] $KeyAlgorithm = 'RSA',
        [ArgumentCompletions('2048', '3072', '4096')] [int] $KeySize,
        [switch] $AllowWeakKey,

        [Parameter(ValueFromPipelineByPropertyName)] [Alias('O')] [string] $Organization,
        [Parameter(ValueFromPipelineByPropertyName)] [Alias('OU')] [string] $OrganizationalUnit,
        [Parameter(ValueFromPipelineByPropertyName)] [Alias('C')] [string] $Country,
        [Parameter(ValueFromPipelineByPropertyName)] [Alias('S')] [string] $State,
        [Parameter(ValueFromPipelineByPropertyName)] [Alias('L')] [string] $City,

        [switch] $ServerAuthenticationOnly,
        [string] $Template,
        [switch] $PrivateKeyExportable,

        [Parameter(ValueFromPipelineByPropertyName)] [Alias('Output', 'RequestFile')] [string] $OutFile,
        [ValidateSet('Pem', 'Der')] [string] $Encoding = 'Pem',
        [switch] $Force,
        [ArgumentCompletions("'acme:https://'", "'scep:https://'")] [string] $CA,
        [pscredential] $Credential,
        [string] $CaBundle,
        [string] $CaFingerprint,
        [string] $HttpListener,
        [string] $WebRoot,
        [string] $DnsHook,
        [string] $Contact,
        [ValidateRange(1, 600)] [int] $TimeoutSeconds,
        [ValidateRange(0, 3600)] [int] $WaitSeconds,
        [switch] $Assign,
        [string[]] $TrustAnchorPath,
        [string] $StorePath
    )
    begin {
        $commandLine = @{} + $PSBoundParameters
        # An empty -OutFile (a variable never set, most likely) must not quietly mean "no file".
        if ($commandLine.ContainsKey('OutFile') -and -not $commandLine['OutFile']) {
            $PSCmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new(
                    [System.ArgumentException]::new('OutFile: give the name of the file to write the request to, or leave the parameter out.'),
                    'EmptyOutFile', 'InvalidArgument', ''))
        }
    }
    process {
        if ($commandLine.ContainsKey('Encoding') -and -not $OutFile) { Write-Warning '-Encoding applies to the file -OutFile writes; without -OutFile no file is written.' }
        $arguments = ConvertTo-OcsArguments -Cmdlet $PSCmdlet -CommandLine $commandLine -Exclude 'StorePath', 'OutFile', 'CA', 'Credential', 'CaBundle', 'CaFingerprint', 'HttpListener', 'WebRoot', 'DnsHook', 'Contact', 'TimeoutSeconds', 'WaitSeconds', 'Assign', 'TrustAnchorPath'
        $arguments['role'] = $Role
        $arguments['topology'] = $Topology
        $arguments['keyAlgorithm'] = $KeyAlgorithm
        $arguments['encoding'] = $Encoding
        if ($OutFile) { $arguments['outFile'] = Resolve-OcsPath $PSCmdlet $OutFile 'OutFile' }

        # Check every input first, so -WhatIf also reports bad input and shows the real names.
        $arguments['validateOnly'] = $true
        if ($CA) { $arguments['ca'] = $CA }
        $names = Invoke-OcsNative -Cmdlet $PSCmdlet -Operation request_new -Arguments $arguments -StorePath $StorePath
        $arguments.Remove('validateOnly')
        $arguments.Remove('ca')
        $target = "CN=$($names.commonName); SAN: $(@($names.names.name) -join ', ')"
        $action = if ($OutFile) { "Create a key and a certificate request, write it to '$($arguments['outFile'])'" } else { 'Create a key and a pending certificate request' }
        if ($CA) { $action += ", send it to $CA$(if ($Assign) { ', install and assign the certificate' } else { ' and install the certificate' })" }
        if (-not (Test-OcsShouldProcess -Cmdlet $PSCmdlet -Target $target -Action $action)) { return }

        $record = Invoke-OcsNative -Cmdlet $PSCmdlet -Operation request_new -Arguments $arguments -StorePath $StorePath
        foreach ($warning in $record.warnings) { Write-Warning $warning }
        if (-not $CA) { return ConvertTo-OcsCertificateRequest -Record $record }
        $connection = ConvertTo-OcsConnectionArguments -Cmdlet $PSCmdlet -Bound $commandLine
        $connection['id'] = $record.id
        $result = Invoke-OcsNative -Cmdlet $PSCmdlet -Operation request_submit -Arguments $connection -StorePath $StorePath -NonTerminating
        if ($result) { return Write-OcsSubmissionResult -Cmdlet $PSCmdlet -Result $result }
        # Not sent: the request is kept, with the reason, for Submit-OcsCertificateRequest later.
        $kept = Invoke-OcsNative -Cmdlet $PSCmdlet -Operation request_list -Arguments ([ordered]@{ id = $record.id }) -StorePath $StorePath
        foreach ($request in $kept.requests) { ConvertTo-OcsCertificateRequest -Record $request }
    }
}
