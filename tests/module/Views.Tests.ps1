# What an admin sees at the prompt: table views at 120 columns, list views for every type,
# checks of several certificates told apart, completion from the store, -WhatIf that runs
# the checks, and help with inputs, outputs and links.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force; Import-OcsTestModule
    $psd1 = (Get-Module OcsCertificate).Path -replace '\.psm1$', '.psd1'
    $ca = New-OcsTestCa
    $root = Join-Path $ca 'root.pem'
    $store = New-OcsTestStore
    $null = New-Item -ItemType Directory -Force $store

    # A request with several names (one of them 33 characters: the table gives names 34), signed by the test CA and installed
    # (in the shared store unless -Folder names another).
    function New-TestCertificate([string] $Name, [string] $Folder = $store) {
        $arguments = Get-OcsTestRequestArguments
        $request = New-OcsCertificateRequest @arguments -SipDomain contoso.com, fabrikam.com -AutomaticSignIn `
            -DomainName 'conferencing-e.pool01.contoso.com' -OutFile (Join-Path $Folder "$Name.req") -StorePath $Folder
        & openssl x509 -req -in (Join-Path $Folder "$Name.req") -CA (Join-Path $ca 'issuing.pem') -CAkey (Join-Path $ca 'issuing.key') `
            -CAcreateserial -days 10 -copy_extensions copy -out (Join-Path $Folder "$Name.cer") 2>$null
        if ($LASTEXITCODE -ne 0) { throw 'the test CA could not sign' }
        $chain = (Get-Content -Raw (Join-Path $Folder "$Name.cer")) + (Get-Content -Raw (Join-Path $ca 'issuing.pem'))
        Set-Content -LiteralPath (Join-Path $Folder "$Name.chain.pem") -Value $chain -NoNewline
        [pscustomobject]@{ Request = $request; Certificate = Complete-OcsCertificateRequest -Path (Join-Path $Folder "$Name.chain.pem") -StorePath $Folder }
    }
    $first = New-TestCertificate 'first'
    $second = New-TestCertificate 'second'
    $null = Set-OcsCertificate -Role FrontEnd, WebConferencing -Thumbprint $first.Certificate.Thumbprint -TrustAnchorPath $root -StorePath $store
    $null = Set-OcsCertificate -Role FrontEnd -Thumbprint $second.Certificate.Thumbprint -TrustAnchorPath $root -StorePath $store
    $arguments = Get-OcsTestRequestArguments
    $arguments.PoolFqdn = 'pool02.contoso.com'
    $pending = New-OcsCertificateRequest @arguments -OutFile (Join-Path $store 'pending.req') -StorePath $store

    # The lines of a table at 120 columns, as a console of that width shows it.
    function Get-TableLines($InputObject) { @(($InputObject | Format-Table | Out-String -Width 120) -split "`n" | ForEach-Object TrimEnd) }
}
AfterAll {
    Remove-Item -Recurse -Force $ca, $store -ErrorAction SilentlyContinue
    $env:OCSCERT_STORE = $null
}

Describe 'Table views at 120 columns' {
    It 'the certificate table keeps its header on one line and every name whole on a line of its own' {
        $lines = Get-TableLines (Get-OcsCertificate -StorePath $store)
        $header = @($lines | Where-Object { $_ -match '^Thumbprint' })
        $header | Should -HaveCount 1
        $header[0] | Should -Match 'Subject and alternative names$'
        foreach ($name in $second.Certificate.AlternativeNames) {
            @($lines | Where-Object { $_ -match "\s$([regex]::Escape($name))$" }).Count | Should -BeGreaterThan 0 -Because "$name is shown whole"
        }
        $lines | ForEach-Object { $_.Length | Should -BeLessOrEqual 120 }
    }

    It 'the request table shows each name whole' {
        $lines = Get-TableLines (Get-OcsCertificateRequest -Id $pending.Id -StorePath $store)
        @($lines | Where-Object { $_ -match '^Id\s+State' }) | Should -HaveCount 1
        @($lines | Where-Object { $_ -match '\spool02\.contoso\.com$' }).Count | Should -BeGreaterThan 0
    }

    It 'the binding table shows the issuer by its name and fits' {
        $lines = Get-TableLines (Get-OcsCertificateBinding -StorePath $store)
        @($lines | Where-Object { $_ -match '^Role\s+Thumbprint\s+Since \(UTC\)\s+NotAfter \(UTC\)\s+Issued by$' }) | Should -HaveCount 1
        @($lines | Where-Object { $_ -match "^FrontEnd\s+$($second.Certificate.Thumbprint)\s.*\sTest-Issuing$" }) | Should -HaveCount 1
    }
}

Describe 'List views' {
    It 'Format-List of <Type> shows readable values: no PEM, no hashtables, no type names of arrays' -ForEach @(
        @{ Type = 'Certificate'; Get = { Get-OcsCertificate -Thumbprint $second.Certificate.Thumbprint -StorePath $store }; Expect = 'AlternativeNames *: pool01.contoso.com, sip.contoso.com' }
        @{ Type = 'CertificateRequest'; Get = { Get-OcsCertificateRequest -Id $pending.Id -StorePath $store }; Expect = 'Key *: ECDSA_P256 256' }
        @{ Type = 'CertificateBinding'; Get = { Get-OcsCertificateBinding -Role FrontEnd -StorePath $store }; Expect = 'PreviousThumbprint *: [0-9A-F]{40}' }
        @{ Type = 'CertificateName'; Get = { Resolve-OcsCertificateName -PoolFqdn pool01.contoso.com -SipDomain contoso.com }; Expect = 'Source *: PoolFqdn' }
        @{ Type = 'CheckResult'; Get = { Test-OcsCertificate -Role FrontEnd -TrustAnchorPath $root -StorePath $store }; Expect = 'Role *: FrontEnd' }
        @{ Type = 'Version'; Get = { Get-OcsCertificateVersion }; Expect = 'NativeVersion *: \d' }
    ) {
        $objects = @(& $Get)
        $objects.Count | Should -BeGreaterThan 0
        $objects[0].PSObject.TypeNames[0] | Should -Be "OcsCertificate.$Type"
        $text = $objects | Format-List | Out-String -Width 120
        $text | Should -Match "(?m)^$Expect"
        $text | Should -Not -Match 'System\.Object\[\]|System\.String\[\]|@\{|-----BEGIN|PSCustomObject'
        # The same view for a copy from a remote session.
        $copy = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($objects[0]))
        ($copy | Format-List | Out-String -Width 120) | Should -Match "(?m)^$Expect"
    }

    It 'every type the module outputs has a table or custom view and a list view' {
        $xml = [xml] (Get-Content -Raw (Join-Path (Split-Path $psd1) 'OcsCertificate.Format.ps1xml'))
        $types = $xml.Configuration.ViewDefinitions.View | ForEach-Object { $_.ViewSelectedBy.TypeName } | Where-Object { $_ -notlike 'Deserialized.*' } | Sort-Object -Unique
        $types.Count | Should -BeGreaterOrEqual 13
        foreach ($type in $types) {
            $views = @($xml.Configuration.ViewDefinitions.View | Where-Object { $_.ViewSelectedBy.TypeName -contains $type })
            @($views | Where-Object { $_.ListControl }) | Should -HaveCount 1 -Because "$type needs a list view"
            @($views | Where-Object { $_.TableControl -or $_.CustomControl }) | Should -HaveCount 1 -Because "$type needs a table or custom view"
        }
    }
}

Describe 'Test-OcsCertificate from the pipeline' {
    It 'checks each certificate of Get-OcsCertificate, told apart by a group per certificate' {
        $results = @(Get-OcsCertificate -StorePath $store | Test-OcsCertificate -TrustAnchorPath $root)
        @($results.Thumbprint | Sort-Object -Unique) | Should -Be (@($first.Certificate.Thumbprint, $second.Certificate.Thumbprint) | Sort-Object)
        $text = $results | Out-String -Width 120
        $text | Should -Match "Certificate: $($first.Certificate.Thumbprint)"
        $text | Should -Match "Certificate: $($second.Certificate.Thumbprint)"
    }

    It 'checks a binding as its role, not as a thumbprint' {
        $results = @(Get-OcsCertificateBinding -StorePath $store | Test-OcsCertificate -TrustAnchorPath $root)
        @($results.Target | Sort-Object -Unique) | Should -Be @('FrontEnd', 'WebConferencing')
        @($results | Where-Object Target -EQ 'FrontEnd').Thumbprint | Sort-Object -Unique | Should -Be $second.Certificate.Thumbprint
        @($results | Where-Object Target -EQ 'WebConferencing').Thumbprint | Sort-Object -Unique | Should -Be $first.Certificate.Thumbprint
        ($results | Out-String -Width 120) | Should -Match "Certificate: $($second.Certificate.Thumbprint) \(FrontEnd\)"
    }

    It 'takes the store from the piped object' {
        $env:OCSCERT_STORE = $null
        @(Get-OcsCertificateBinding -Role FrontEnd -StorePath $store | Test-OcsCertificate -TrustAnchorPath $root).Count | Should -BeGreaterThan 0
        $env:OCSCERT_STORE = $store
    }

    It 'refuses an object that is neither, naming InputObject' {
        $result = [pscustomobject]@{ Name = 'x' } | Test-OcsCertificate -ErrorVariable failure -ErrorAction SilentlyContinue
        $result | Should -BeNullOrEmpty
        $failure[0].FullyQualifiedErrorId | Should -BeLike 'InvalidInputObject*'
        $failure[0].Exception.Message | Should -BeLike 'InputObject:*'
    }
}

Describe 'Completion' {
    BeforeAll {
        function Get-Completion([string] $Line) { @((TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches) }
    }

    It 'completes -Thumbprint from the store named by -StorePath' {
        $found = Get-Completion "Get-OcsCertificate -StorePath '$store' -Thumbprint "
        @($found.CompletionText | Sort-Object) | Should -Be (@($first.Certificate.Thumbprint, $second.Certificate.Thumbprint) | Sort-Object)
        $prefix = $second.Certificate.Thumbprint.Substring(0, 6).ToLowerInvariant()
        $found = Get-Completion "Set-OcsCertificate -Role FrontEnd -StorePath '$store' -Thumbprint $prefix"
        $found.CompletionText | Should -Contain $second.Certificate.Thumbprint
        ($found | Where-Object CompletionText -EQ $second.Certificate.Thumbprint).ToolTip | Should -BeLike '*pool01.contoso.com*FrontEnd*'
    }

    It 'completes request ids for -Id and -RequestId, from $env:OCSCERT_STORE' {
        $env:OCSCERT_STORE = $store
        (Get-Completion 'Get-OcsCertificateRequest -Id ').CompletionText | Should -Contain $pending.Id
        (Get-Completion 'Submit-OcsCertificateRequest -RequestId ').CompletionText | Should -Contain $pending.Id
    }

    It 'completes -Country by code and by name' {
        (Get-Completion 'New-OcsCertificateRequest -Country U').CompletionText | Should -Contain 'US'
        (Get-Completion 'New-OcsCertificateRequest -Country germ').CompletionText | Should -Be @('DE')
        (Get-Completion 'New-OcsCertificateRequest -Country de').ToolTip | Should -Be @('GERMANY')
    }

    It 'offers no thumbprint, and no error, for a store that cannot be read' {
        $Error.Clear()
        $found = Get-Completion "Get-OcsCertificate -StorePath '$store/missing/x' -Thumbprint "
        $found.CompletionText | Should -Not -Contain $first.Certificate.Thumbprint
        $Error | Should -BeNullOrEmpty
    }
}

Describe 'Set-OcsCertificate -WhatIf' {
    It 'runs the checks and says they pass' {
        $command = "Import-Module '$psd1'; Set-OcsCertificate -Role AudioVideo -Thumbprint $($second.Certificate.Thumbprint) -TrustAnchorPath '$root' -StorePath '$store' -WhatIf"
        $output = (Invoke-OcsTestPwsh -Command $command) -join "`n"
        $LASTEXITCODE | Should -Be 0 -Because $output
        $output | Should -BeLike "*What if: Performing the operation ""Assign certificate $($second.Certificate.Thumbprint)"" on target ""AudioVideo""*All 7 checks pass*"
        @(Get-OcsCertificateBinding -Role AudioVideo -StorePath $store) | Should -HaveCount 0
    }

    It 'says which check would refuse the assignment' {
        # A certificate no role has used, so no trust is remembered for it.
        $third = New-TestCertificate 'third'
        $command = "Import-Module '$psd1'; Set-OcsCertificate -Role AudioVideo -Thumbprint $($third.Certificate.Thumbprint) -StorePath '$store' -WhatIf"
        $output = (Invoke-OcsTestPwsh -Command $command) -join "`n"
        $output | Should -BeLike '*The Chain check fails, so the assignment would be refused:*'
    }

    It 'names the certificate -Previous would return to' {
        $command = "Import-Module '$psd1'; Set-OcsCertificate -Role FrontEnd -Previous -TrustAnchorPath '$root' -StorePath '$store' -WhatIf"
        $output = (Invoke-OcsTestPwsh -Command $command) -join "`n"
        $output | Should -BeLike "*FrontEnd would return to $($first.Certificate.Thumbprint) (issued by CN=Test-Issuing)*All 7 checks pass*"
        (Get-OcsCertificateBinding -Role FrontEnd -StorePath $store).Thumbprint | Should -Be $second.Certificate.Thumbprint
        $output = (Invoke-OcsTestPwsh -Command ($command -replace 'FrontEnd', 'WebConferencing')) -join "`n"
        $output | Should -BeLike '*The WebConferencing role has no previous certificate to return to*'
    }

    It 'says -Previous would be refused (PreviousDiffers) when the roles used different certificates, naming each' {
        # A store of its own: FrontEnd used $a and AudioVideo $b before both moved to $c.
        $storeBefore = $env:OCSCERT_STORE
        $own = New-OcsTestStore
        $null = New-Item -ItemType Directory -Force $own
        try {
            $a, $b, $c = 'a', 'b', 'c' | ForEach-Object { (New-TestCertificate "roll-$_" -Folder $own).Certificate.Thumbprint }
            $null = Set-OcsCertificate -Role FrontEnd -Thumbprint $a -TrustAnchorPath $root -StorePath $own
            $null = Set-OcsCertificate -Role AudioVideo -Thumbprint $b -TrustAnchorPath $root -StorePath $own
            $null = Set-OcsCertificate -Role FrontEnd, AudioVideo -Thumbprint $c -TrustAnchorPath $root -StorePath $own
            $command = "Import-Module '$psd1'; Set-OcsCertificate -Role FrontEnd, AudioVideo -Previous -TrustAnchorPath '$root' -StorePath '$own' -WhatIf"
            $output = (Invoke-OcsTestPwsh -Command $command) -join "`n"
            $LASTEXITCODE | Should -Be 0 -Because $output
            # Before, it previewed FrontEnd's certificate for both roles and said the checks pass.
            $output | Should -BeLike "*would return to different previous certificates (FrontEnd to $a, AudioVideo to $b)*refused (PreviousDiffers)*one at a time*"
            $output | Should -Not -BeLike '*checks pass*'
            # What the preview announces is what the real run does.
            { Set-OcsCertificate -Role FrontEnd, AudioVideo -Previous -TrustAnchorPath $root -StorePath $own } |
                Should -Throw -ErrorId 'PreviousDiffers,Set-OcsCertificate'
            (Get-OcsCertificateBinding -StorePath $own).Thumbprint | Should -Be @($c, $c)
        }
        finally {
            Remove-Item -LiteralPath $own -Recurse -Force -ErrorAction SilentlyContinue
            $env:OCSCERT_STORE = $storeBefore
        }
    }
}

Describe 'Help' {
    It '<Name> has inputs, outputs and links in its help' -ForEach @(
        (Get-Command -Module OcsCertificate -CommandType Function | ForEach-Object { @{ Name = $_.Name } })
    ) {
        $help = Get-Help $Name -Full
        "$($help.inputTypes.inputType.type.name)" | Should -Not -BeNullOrEmpty
        "$($help.returnValues.returnValue.type.name)" | Should -Not -BeNullOrEmpty
        @($help.relatedLinks.navigationLink).Count | Should -BeGreaterThan 0
        foreach ($link in $help.relatedLinks.navigationLink.linkText) { Get-Command $link.Trim() -ErrorAction Stop | Should -Not -BeNullOrEmpty }
    }

    # Get-Help leaves "Aliases" empty for functions with comment-based help (PowerShell issue 25477),
    # so each aliased parameter's text names its aliases.
    It '<Name> names every parameter alias in that parameter''s help' -ForEach @(
        (Get-Command -Module OcsCertificate -CommandType Function | ForEach-Object { @{ Name = $_.Name } })
    ) {
        $common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
        foreach ($parameter in (Get-Command $Name).Parameters.Values | Where-Object { $_.Aliases -and $_.Name -notin $common }) {
            $text = Get-Help $Name -Parameter $parameter.Name | Out-String -Width 120
            foreach ($alias in $parameter.Aliases) { $text | Should -Match "Alias(es)?: .*-$alias\b" -Because "-$($parameter.Name) has the alias -$alias" }
        }
    }
}
