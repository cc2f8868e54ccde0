BeforeAll { Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force; Import-OcsTestModule }

BeforeDiscovery {
    # Both topologies x all three roles; the machine name is added by default only
    # for Web Conferencing and A/V Conferencing servers in the expanded topology.
    $machineCases = foreach ($topology in 'Consolidated', 'Expanded') {
        foreach ($role in 'FrontEnd', 'WebConferencing', 'AudioVideo') {
            @{ Topology = $topology; Role = $role; Default = ($topology -eq 'Expanded' -and $role -ne 'FrontEnd') }
        }
    }
    $nonFrontEndCases = foreach ($topology in 'Consolidated', 'Expanded') {
        foreach ($role in 'WebConferencing', 'AudioVideo') { @{ Topology = $topology; Role = $role } }
    }
}

Describe 'Resolve-OcsCertificateName' {
    BeforeEach {
        $store = New-OcsTestStore
    }
    AfterEach {
        Remove-Item -LiteralPath $store -Recurse -Force -ErrorAction SilentlyContinue
        $env:OCSCERT_STORE = $null
    }

    Context 'sip.(domain) names (wizard step 12)' {
        It 'FrontEnd, <Label>, AutomaticSignIn=<Auto>, SignInRedirect=<Redirect>: sip names [<Expected>]' -ForEach @(
            @{ Label = 'one SIP domain'; Domains = @('contoso.com'); Auto = $false; Redirect = $false; Expected = @(); ReasonLike = $null }
            @{ Label = 'one SIP domain'; Domains = @('contoso.com'); Auto = $true; Redirect = $false; Expected = @('sip.contoso.com'); ReasonLike = '*configured for automatic logon,*' }
            @{ Label = 'one SIP domain'; Domains = @('contoso.com'); Auto = $false; Redirect = $true; Expected = @('sip.contoso.com'); ReasonLike = '*configured for sign-in redirection,*' }
            @{ Label = 'one SIP domain'; Domains = @('contoso.com'); Auto = $true; Redirect = $true; Expected = @('sip.contoso.com'); ReasonLike = '*automatic logon and sign-in redirection*' }
            @{ Label = 'two SIP domains'; Domains = @('contoso.com', 'fabrikam.com'); Auto = $false; Redirect = $false; Expected = @(); ReasonLike = $null }
            @{ Label = 'two SIP domains'; Domains = @('contoso.com', 'fabrikam.com'); Auto = $true; Redirect = $false; Expected = @('sip.contoso.com', 'sip.fabrikam.com'); ReasonLike = '*configured for automatic logon,*' }
            @{ Label = 'two SIP domains'; Domains = @('contoso.com', 'fabrikam.com'); Auto = $false; Redirect = $true; Expected = @('sip.contoso.com', 'sip.fabrikam.com'); ReasonLike = '*configured for sign-in redirection,*' }
            @{ Label = 'two SIP domains'; Domains = @('contoso.com', 'fabrikam.com'); Auto = $true; Redirect = $true; Expected = @('sip.contoso.com', 'sip.fabrikam.com'); ReasonLike = 'Required:*' }
        ) {
            $names = @(Resolve-OcsCertificateName -Role FrontEnd -PoolFqdn pool01.contoso.com -SipDomain $Domains -AutomaticSignIn:$Auto -SignInRedirect:$Redirect)
            $sip = @($names | Where-Object Source -EQ 'SipDomain')

            ($sip.Name -join ',') | Should -BeExactly ($Expected -join ',')
            ($names.Name -join ',') | Should -BeExactly ((@('pool01.contoso.com') + $Expected) -join ',')
            foreach ($name in $sip) { $name.Reason | Should -BeLike $ReasonLike }
        }

        It 'adds no sip names for a <Role>-only request (<Topology>) even with both switches' -ForEach $nonFrontEndCases {
            $names = @(Resolve-OcsCertificateName -Role $Role -Topology $Topology -PoolFqdn pool01.contoso.com -SipDomain contoso.com, fabrikam.com `
                    -AutomaticSignIn -SignInRedirect -MachineFqdn srv01.contoso.com)
            $names.Name | Should -Not -Contain 'sip.contoso.com'
            $names.Name | Should -Not -Contain 'sip.fabrikam.com'
            @($names | Where-Object Source -EQ 'SipDomain') | Should -HaveCount 0
            $names[0].Name | Should -BeExactly 'pool01.contoso.com'
        }

        It 'warns when a SIP domain already begins with sip. (sip.sip.contoso.com)' {
            $names = @(Resolve-OcsCertificateName -PoolFqdn pool01.contoso.com -SipDomain sip.contoso.com, fabrikam.com -AutomaticSignIn `
                    -WarningVariable warnings -WarningAction SilentlyContinue)
            $names.Name | Should -Contain 'sip.sip.contoso.com'
            @($warnings) | Should -HaveCount 1
            "$($warnings[0])" | Should -BeLike "*'sip.contoso.com' begins with 'sip.'*'contoso.com'*"
            $null = Resolve-OcsCertificateName -PoolFqdn pool01.contoso.com -SipDomain contoso.com -AutomaticSignIn -WarningVariable none -WarningAction SilentlyContinue
            @($none) | Should -HaveCount 0
        }

        It 'adds sip names when FrontEnd is one of several roles' {
            $names = Resolve-OcsCertificateName -Role AudioVideo, FrontEnd -PoolFqdn pool01.contoso.com -SipDomain contoso.com -AutomaticSignIn
            $names.Name | Should -Contain 'sip.contoso.com'
        }
    }

    Context 'the machine name' {
        It '<Topology> <Role> by default: included = <Default>' -ForEach $machineCases {
            $names = @(Resolve-OcsCertificateName -Role $Role -Topology $Topology -PoolFqdn pool01.contoso.com -MachineFqdn srv01.contoso.com)
            ($names.Name -contains 'srv01.contoso.com') | Should -Be $Default
            if ($Default) {
                $machine = $names | Where-Object Name -EQ 'srv01.contoso.com'
                $machine.Source | Should -BeExactly 'MachineFqdn'
                $machine.Reason | Should -BeLike '*expanded topology*'
                $names.Name | Should -HaveCount 2
            }
            else {
                $names.Name | Should -HaveCount 1
            }
        }

        It '<Topology> <Role> with -IncludeMachineName: included' -ForEach $machineCases {
            $names = @(Resolve-OcsCertificateName -Role $Role -Topology $Topology -PoolFqdn pool01.contoso.com -MachineFqdn srv01.contoso.com -IncludeMachineName)
            ($names.Name -join ',') | Should -BeExactly 'pool01.contoso.com,srv01.contoso.com'
            $names[1].Source | Should -BeExactly 'MachineFqdn'
            $names[1].Reason | Should -BeLike '*as asked*'
        }

        It '<Topology> <Role> with -IncludeMachineName:$false: left out' -ForEach $machineCases {
            $names = @(Resolve-OcsCertificateName -Role $Role -Topology $Topology -PoolFqdn pool01.contoso.com -MachineFqdn srv01.contoso.com -IncludeMachineName:$false)
            ($names.Name -join ',') | Should -BeExactly 'pool01.contoso.com'
        }
    }

    Context 'order, normalisation and de-duplication' {
        It 'warns of a look-alike name: Latin and Cyrillic letters in one label' {
            $lookalike = "p$([char]0x043E)$([char]0x043E)l01.contoso.com"  # two Cyrillic о
            $names = @(Resolve-OcsCertificateName -PoolFqdn $lookalike -WarningVariable warnings -WarningAction SilentlyContinue)
            $names[0].Name | Should -BeLike 'xn--*.contoso.com'
            @($warnings) | Should -HaveCount 1
            "$($warnings[0])" | Should -BeLike "*mixes Latin and Cyrillic letters*"
            $null = Resolve-OcsCertificateName -PoolFqdn "b$([char]0x00FC)cher.contoso.com" -WarningVariable none -WarningAction SilentlyContinue
            @($none) | Should -HaveCount 0
        }

        It 'lists the pool FQDN first, then sip names, the machine name and added names' {
            $names = @(Resolve-OcsCertificateName -PoolFqdn pool01.contoso.com -SipDomain contoso.com -AutomaticSignIn `
                    -IncludeMachineName -MachineFqdn fe01.contoso.com -DomainName a.contoso.com)
            ($names.Name -join ',') | Should -BeExactly 'pool01.contoso.com,sip.contoso.com,fe01.contoso.com,a.contoso.com'
            ($names.Source -join ',') | Should -BeExactly 'PoolFqdn,SipDomain,MachineFqdn,DomainName'
            $names[0].Reason | Should -BeLike 'Subject name*'
        }

        It 'gives every name a Reason and a Source, typed OcsCertificate.CertificateName' {
            $names = @(Resolve-OcsCertificateName -PoolFqdn pool01.contoso.com -SipDomain contoso.com -SignInRedirect `
                    -IncludeMachineName -MachineFqdn fe01.contoso.com -DomainName extra.contoso.com)
            $names | Should -HaveCount 4
            foreach ($name in $names) {
                $name.Reason | Should -Not -BeNullOrEmpty
                $name.Source | Should -BeIn 'PoolFqdn', 'SipDomain', 'MachineFqdn', 'DomainName'
                $name.PoolFqdn | Should -BeExactly 'pool01.contoso.com'
                $name.PSObject.TypeNames[0] | Should -BeExactly 'OcsCertificate.CertificateName'
            }
        }

        It 'lower-cases names and drops a trailing dot' {
            $names = @(Resolve-OcsCertificateName -PoolFqdn 'POOL01.Contoso.COM.' -SipDomain 'CONTOSO.COM.' -AutomaticSignIn -DomainName 'Extra.CONTOSO.com')
            ($names.Name -join ',') | Should -BeExactly 'pool01.contoso.com,sip.contoso.com,extra.contoso.com'
            $names[0].PoolFqdn | Should -BeExactly 'pool01.contoso.com'
        }

        It "turns the international name 'Bücher.example' into the A-label 'xn--bcher-kva.example'" {
            $names = @(Resolve-OcsCertificateName -PoolFqdn 'Bücher.example' -DomainName 'www.bücher.example')
            ($names.Name -join ',') | Should -BeExactly 'xn--bcher-kva.example,www.xn--bcher-kva.example'
        }

        It 'accepts an A-label as is and treats it as the same name as its Unicode form' {
            $names = @(Resolve-OcsCertificateName -PoolFqdn 'xn--bcher-kva.example' -DomainName 'Bücher.example', 'XN--BCHER-KVA.EXAMPLE')
            ($names.Name -join ',') | Should -BeExactly 'xn--bcher-kva.example'
        }

        It "folds non-ASCII upper case too: 'BÜCHER.example' is 'xn--bcher-kva.example' (or is refused), not another A-label" {
            # DNS names are case-insensitive and IDNA2008/UTS 46 map 'Ü' to 'ü'; an A-label of
            # the upper-case form ('xn--bcher-2pa') is not a valid IDN and never matches the host.
            $result = try { (Resolve-OcsCertificateName -PoolFqdn 'BÜCHER.example').Name } catch { $_.FullyQualifiedErrorId }
            $result | Should -BeIn 'xn--bcher-kva.example', 'InvalidDnsName,Resolve-OcsCertificateName'
        }

        It 'removes duplicates case-insensitively, keeping the first source and adding the reason' {
            $names = @(Resolve-OcsCertificateName -PoolFqdn pool01.contoso.com -SipDomain contoso.com, CONTOSO.com -AutomaticSignIn `
                    -DomainName 'SIP.Contoso.com', 'Pool01.CONTOSO.com', 'other.contoso.com', 'OTHER.contoso.com.')
            ($names.Name -join ',') | Should -BeExactly 'pool01.contoso.com,sip.contoso.com,other.contoso.com'
            $names[0].Source | Should -BeExactly 'PoolFqdn'
            $names[0].Reason | Should -BeLike '*Also: Added by the administrator.'
            $names[1].Source | Should -BeExactly 'SipDomain'
            $names[1].Reason | Should -BeLike '*Also: Added by the administrator.'
        }

        It 'removes a machine name equal to the pool FQDN' {
            $names = @(Resolve-OcsCertificateName -PoolFqdn pool01.contoso.com -IncludeMachineName -MachineFqdn POOL01.contoso.com)
            ($names.Name -join ',') | Should -BeExactly 'pool01.contoso.com'
        }
    }

    Context 'pipeline input' {
        It 'takes pool FQDNs piped as strings' {
            $names = @('pool01.contoso.com', 'pool02.fabrikam.com' | Resolve-OcsCertificateName)
            ($names.Name -join ',') | Should -BeExactly 'pool01.contoso.com,pool02.fabrikam.com'
        }

        It 'binds PoolFqdn and SipDomain by property name' {
            $names = @([pscustomobject]@{ PoolFqdn = 'pool02.fabrikam.com'; SipDomain = 'fabrikam.com' } | Resolve-OcsCertificateName -AutomaticSignIn)
            ($names.Name -join ',') | Should -BeExactly 'pool02.fabrikam.com,sip.fabrikam.com'
            $names.PoolFqdn | Should -Be @('pool02.fabrikam.com', 'pool02.fabrikam.com')
        }

        It 'resolves each piped object on its own' {
            $names = @(
                [pscustomobject]@{ PoolFqdn = 'pool01.contoso.com'; SipDomain = 'contoso.com' }
                [pscustomobject]@{ PoolFqdn = 'pool02.fabrikam.com'; SipDomain = @('fabrikam.com', 'litware.com') }
            ) | Resolve-OcsCertificateName -SignInRedirect
            ($names.Name -join ',') | Should -BeExactly 'pool01.contoso.com,sip.contoso.com,pool02.fabrikam.com,sip.fabrikam.com,sip.litware.com'
        }

        It 'does not carry SipDomain/AutomaticSignIn over from the previous piped object' {
            # The second object has neither property: it must not get the first one's sip name.
            $names = @(
                [pscustomobject]@{ PoolFqdn = 'a.contoso.com'; SipDomain = 'contoso.com'; AutomaticSignIn = $true }
                [pscustomobject]@{ PoolFqdn = 'b.contoso.com' }
            ) | Resolve-OcsCertificateName
            (@($names | Where-Object PoolFqdn -EQ 'b.contoso.com').Name -join ',') | Should -BeExactly 'b.contoso.com'
            (@($names | Where-Object PoolFqdn -EQ 'a.contoso.com').Name -join ',') | Should -BeExactly 'a.contoso.com,sip.contoso.com'
        }
    }

    Context 'bad input' {
        It '<Case> is refused with <Reason>, naming <Parameter>' -ForEach @(
            @{ Case = "-PoolFqdn 'pool01.contoso.com,CN=evil'"; Arguments = @{ PoolFqdn = 'pool01.contoso.com,CN=evil' }; Reason = 'InvalidDnsName'; Parameter = 'PoolFqdn' }
            @{ Case = '-PoolFqdn with a newline'; Arguments = @{ PoolFqdn = "pool01`ncontoso.com" }; Reason = 'InvalidDnsName'; Parameter = 'PoolFqdn' }
            @{ Case = "-SipDomain '*.contoso.com'"; Arguments = @{ PoolFqdn = 'pool01.contoso.com'; SipDomain = '*.contoso.com'; AutomaticSignIn = $true }; Reason = 'WildcardNotAllowed'; Parameter = 'SipDomain' }
            @{ Case = 'a wildcard as the second SIP domain'; Arguments = @{ PoolFqdn = 'pool01.contoso.com'; SipDomain = @('contoso.com', '*.fabrikam.com') }; Reason = 'WildcardNotAllowed'; Parameter = 'SipDomain[1]' }
            @{ Case = "-PoolFqdn '*.contoso.com'"; Arguments = @{ PoolFqdn = '*.contoso.com' }; Reason = 'WildcardNotAllowed'; Parameter = 'PoolFqdn' }
            @{ Case = 'a 64-character label'; Arguments = @{ PoolFqdn = ('a' * 64) + '.contoso.com' }; Reason = 'InvalidDnsName'; Parameter = 'PoolFqdn' }
            @{ Case = 'a 254-character name'; Arguments = @{ PoolFqdn = 'pool01.contoso.com'; DomainName = ('a' * 63) + '.' + ('b' * 63) + '.' + ('c' * 63) + '.' + ('d' * 58) + '.com' }; Reason = 'InvalidDnsName'; Parameter = 'DomainName' }
            @{ Case = 'a 65-character pool FQDN'; Arguments = @{ PoolFqdn = ('a' * 53) + '.contoso.com' }; Reason = 'FieldTooLong'; Parameter = 'PoolFqdn' }
            @{ Case = 'a single-label pool name'; Arguments = @{ PoolFqdn = 'pool01' }; Reason = 'NotFullyQualified'; Parameter = 'PoolFqdn' }
            @{ Case = '-Role WebComponents'; Arguments = @{ PoolFqdn = 'pool01.contoso.com'; Role = 'WebComponents' }; Reason = 'WebComponentsNotSupported'; Parameter = 'Role'; MessageLike = '*IIS*' }
            @{ Case = '-Role Mediation'; Arguments = @{ PoolFqdn = 'pool01.contoso.com'; Role = 'Mediation' }; Reason = 'InvalidRole'; Parameter = 'Role' }
        ) {
            $err = { Resolve-OcsCertificateName @Arguments } | Should -Throw -ErrorId "$Reason,Resolve-OcsCertificateName" -PassThru
            $err.FullyQualifiedErrorId | Should -BeExactly "$Reason,Resolve-OcsCertificateName"
            $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $err.Exception.Message | Should -BeLike ([WildcardPattern]::Escape("${Parameter}: ") + '*')
            if ($MessageLike) { $err.Exception.Message | Should -BeLike $MessageLike }
            Test-Path -LiteralPath $store | Should -BeFalse
        }

        It 'is a terminating error: nothing after it in the script block runs' {
            $script:after = $false
            { Resolve-OcsCertificateName -PoolFqdn 'bad name.contoso.com'; $script:after = $true } | Should -Throw -ErrorId 'InvalidDnsName,Resolve-OcsCertificateName'
            $script:after | Should -BeFalse
        }

        It 'accepts the limits themselves: a 63-character label, a 253-character name, a 64-character pool FQDN' {
            $pool = ('a' * 52) + '.contoso.com'
            $long = ('a' * 63) + '.' + ('b' * 63) + '.' + ('c' * 63) + '.' + ('d' * 57) + '.com'
            $names = @(Resolve-OcsCertificateName -PoolFqdn $pool -DomainName $long, (('e' * 63) + '.contoso.com'))
            $names[0].Name.Length | Should -Be 64
            $names[1].Name.Length | Should -Be 253
            $names | Should -HaveCount 3
        }

        It 'writes nothing: the store is not created' {
            $null = Resolve-OcsCertificateName -PoolFqdn pool01.contoso.com -SipDomain contoso.com -AutomaticSignIn
            Test-Path -LiteralPath $store | Should -BeFalse
        }
    }
}
