# Writes the pool definition (.psd1) for a lab made by PoolHosts.psm1: what an
# admin keeps under source control for a real pool, with the lab's CA, trust
# anchor and SSH key filled in. The demo and the pool tests both use it.

function Write-OcsPoolDefinition {
    <#
    .SYNOPSIS
    Writes pool01.psd1 for the lab's members (or the ones named) and returns its path.
    #>
    param(
        [Parameter(Mandatory)] $Lab,
        [Parameter(Mandatory)] [string] $Path,
        [string] $PoolFqdn = 'pool01.contoso.test',
        [string[]] $Member,
        # Extra lines for the Request table (e.g. "WaitSeconds = 60").
        [string[]] $RequestLine = @(),
        [int] $MutualTlsPort = 5061,
        # A member's own request settings over the pool's: @{ fe03 = "CA = 'acme:https://...'" }.
        [hashtable] $MemberRequest = @{}
    )
    $members = @($Lab.Members | Where-Object { -not $Member -or $_.Name -in $Member -or $_.Fqdn -in $Member })
    $q = { param($text) "'" + ([string] $text).Replace("'", "''") + "'" }
    $domain = $PoolFqdn.Substring($PoolFqdn.IndexOf('.') + 1)
    $lines = @(
        '@{'
        "    PoolFqdn        = $(& $q $PoolFqdn)"
        "    SipDomain       = $(& $q $domain)"
        '    Request         = @{'
        "        CA           = $(& $q $Lab.Ca.CA)"
        "        CaBundle     = $(& $q $Lab.Ca.CaBundle)"
        "        Organization = 'Contoso'"
        "        Country      = 'US'"
        "        State        = 'Washington'"
        "        City         = 'Redmond'"
        "        KeyAlgorithm = 'ECDSA_P256'"
        foreach ($line in $RequestLine) { "        $line" }
        '    }'
        "    TrustAnchorPath = $(& $q $Lab.Ca.RootPath)"
        "    MutualTlsPort   = $MutualTlsPort"
        "    SshOptions      = @{ StrictHostKeyChecking = 'no'; UserKnownHostsFile = '/dev/null'; LogLevel = 'ERROR' }"
        '    Members         = @('
        foreach ($m in $members) {
            $own = if ($MemberRequest[$m.Name]) { "; Request = @{ $($MemberRequest[$m.Name]) }" } else { '' }
            "        @{ Fqdn = $(& $q $m.Fqdn); Role = 'FrontEnd'; UserName = $(& $q $Lab.UserName); KeyFilePath = $(& $q $Lab.KeyFilePath)$own }"
        }
        '    )'
        '}'
    )
    Set-Content -LiteralPath $Path -Value $lines
    $Path
}

Export-ModuleMember -Function Write-OcsPoolDefinition
