BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force; Import-OcsTestModule
    $repo = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $psd1 = Join-Path $repo 'module/OcsCertificate/OcsCertificate.psd1'
}

BeforeDiscovery {
    $manifest = Import-PowerShellDataFile (Join-Path $PSScriptRoot '../../module/OcsCertificate/OcsCertificate.psd1')
    $commands = foreach ($name in $manifest.FunctionsToExport) { @{ Command = $name } }
    $stateChanging = foreach ($name in $manifest.FunctionsToExport | Where-Object { $_ -match '^(New|Remove|Set|Add|Clear|Install|Uninstall|Submit|Receive|Complete|Import|Export|Register|Unregister|Request)-|^Update-OcsPool$' }) { @{ Command = $name } }
    $readOnly = foreach ($name in $manifest.FunctionsToExport | Where-Object { $_ -match '^(Get|Resolve|Test|Find)-' }) { @{ Command = $name } }

    # The public parameters of each command, without the common ones (dbatools style).
    $contracts = @(
        @{ Command = 'Resolve-OcsCertificateName'; Expected = @(
                'Role', 'Topology', 'PoolFqdn', 'SipDomain', 'AutomaticSignIn', 'SignInRedirect', 'IncludeMachineName', 'MachineFqdn', 'DomainName') }
        @{ Command = 'New-OcsCertificateRequest'; Expected = @(
                'Role', 'Topology', 'PoolFqdn', 'SipDomain', 'AutomaticSignIn', 'SignInRedirect', 'IncludeMachineName', 'MachineFqdn', 'DomainName',
                'FriendlyName', 'KeyAlgorithm', 'KeySize', 'AllowWeakKey',
                'Organization', 'OrganizationalUnit', 'Country', 'State', 'City',
                'ServerAuthenticationOnly', 'Template', 'PrivateKeyExportable',
                'OutFile', 'Encoding', 'Force',
                'CA', 'Credential', 'CaBundle', 'CaFingerprint', 'HttpListener', 'WebRoot', 'DnsHook', 'Contact', 'TimeoutSeconds', 'WaitSeconds',
                'Assign', 'TrustAnchorPath', 'StorePath') }
        @{ Command = 'Get-OcsCertificateRequest'; Expected = @('Id', 'StorePath') }
        @{ Command = 'Remove-OcsCertificateRequest'; Expected = @('Id', 'StorePath') }
        @{ Command = 'Complete-OcsCertificateRequest'; Expected = @('Path', 'StorePath') }
        @{ Command = 'Submit-OcsCertificateRequest'; Expected = @(
                'RequestId', 'CA', 'Credential', 'CaBundle', 'CaFingerprint', 'HttpListener', 'WebRoot', 'DnsHook', 'Contact', 'TimeoutSeconds', 'WaitSeconds',
                'Assign', 'TrustAnchorPath', 'StorePath') }
        @{ Command = 'Receive-OcsCertificate'; Expected = @('RequestId', 'Credential', 'WaitSeconds', 'Assign', 'TrustAnchorPath', 'StorePath') }
        @{ Command = 'Get-OcsCertificate'; Expected = @('Thumbprint', 'ExpiringWithinDays', 'StorePath') }
        @{ Command = 'Update-OcsCertificateBinding'; Expected = @('StorePath') }
        @{ Command = 'Update-OcsCertificate'; Expected = @('Force', 'RenewBeforeDays', 'Thumbprint', 'DeployHook', 'FailureHook', 'HookTimeoutSeconds', 'WaitSeconds', 'RolloverDelayHours', 'StorePath') }
        @{ Command = 'Set-OcsCertificate'; Expected = @(
                'Role', 'Thumbprint', 'Previous', 'EffectiveDate',
                'PoolFqdn', 'SipDomain', 'AutomaticSignIn', 'SignInRedirect', 'Topology', 'MachineFqdn',
                'TrustAnchorPath', 'StorePath') }
        @{ Command = 'Get-OcsCertificateBinding'; Expected = @('Role', 'StorePath') }
        @{ Command = 'Test-OcsCertificate'; Expected = @('Role', 'Thumbprint', 'InputObject', 'PoolFqdn', 'Peer', 'PeerName', 'TimeoutSeconds', 'TrustAnchorPath', 'StorePath') }
        @{ Command = 'Import-OcsCertificate'; Expected = @('Path', 'Password', 'PrivateKeyExportable', 'FriendlyName', 'StorePath') }
        @{ Command = 'Export-OcsCertificate'; Expected = @('Thumbprint', 'Path', 'Password', 'Encoding', 'Force', 'StorePath') }
        @{ Command = 'Remove-OcsCertificate'; Expected = @('Thumbprint', 'Force', 'StorePath') }
        @{ Command = 'Get-OcsCertificateVersion'; Expected = @() }
        @{ Command = 'Register-OcsCertificateRenewal'; Expected = @('Scheduler', 'Folder', 'DeployHook', 'FailureHook', 'Schedule', 'StorePath') }
        @{ Command = 'Get-OcsCertificateRenewal'; Expected = @('StorePath') }
        @{ Command = 'Unregister-OcsCertificateRenewal'; Expected = @('StorePath') }
        @{ Command = 'Request-OcsPoolCertificate'; Expected = @('Pool', 'Member', 'Assign', 'ThrottleLimit', 'InstallModule', 'ConnectingTimeoutSeconds') }
        @{ Command = 'Test-OcsPool'; Expected = @('Pool', 'Member', 'ThrottleLimit', 'InstallModule', 'ConnectingTimeoutSeconds') }
        @{ Command = 'Update-OcsPool'; Expected = @('Pool', 'Member', 'MaxUnavailable', 'Force', 'ThrottleLimit', 'InstallModule', 'ConnectingTimeoutSeconds') }
    )
}

Describe 'OcsCertificate module' {
    BeforeEach {
        $store = New-OcsTestStore
    }
    AfterEach {
        Remove-Item -LiteralPath $store -Recurse -Force -ErrorAction SilentlyContinue
        $env:OCSCERT_STORE = $null
    }

    Context 'import and exports' {
        It 'imports in-process and exports exactly the functions the manifest lists' {
            $module = Import-Module $psd1 -Force -Global -PassThru -ErrorAction Stop
            $module.Version | Should -Be ([version] '0.1.0')
            $expected = (Import-PowerShellDataFile $psd1).FunctionsToExport
            @($module.ExportedFunctions.Keys | Sort-Object) | Should -Be @($expected | Sort-Object)
            $module.ExportedCmdlets.Count | Should -Be 0
            $module.ExportedAliases.Count | Should -Be 0
            $module.ExportedVariables.Count | Should -Be 0
        }

        It 'keeps its private helpers private' {
            foreach ($private in 'Invoke-OcsNative', 'ConvertTo-OcsArguments', 'ConvertTo-OcsCertificateRequest', 'ConvertTo-OcsCertificateName', 'New-OcsErrorRecord', 'New-OcsRenewalJobCommand') {
                Get-Command $private -ErrorAction SilentlyContinue | Should -BeNullOrEmpty -Because "$private is not exported"
            }
        }

        It 'imports in a fresh pwsh without error' {
            $command = "`$ErrorActionPreference = 'Stop'; Import-Module '$($psd1 -replace "'", "''")'; " +
                "'COMMANDS=' + (((Get-Command -Module OcsCertificate).Name | Sort-Object) -join ',')"
            $output = @(Invoke-OcsTestPwsh -Command $command)
            $LASTEXITCODE | Should -Be 0 -Because ($output -join "`n")
            $output | Should -Contain 'COMMANDS=Complete-OcsCertificateRequest,Export-OcsCertificate,Get-OcsCertificate,Get-OcsCertificateBinding,Get-OcsCertificateRenewal,Get-OcsCertificateRequest,Get-OcsCertificateVersion,Import-OcsCertificate,New-OcsCertificateRequest,Receive-OcsCertificate,Register-OcsCertificateRenewal,Remove-OcsCertificate,Remove-OcsCertificateRequest,Request-OcsPoolCertificate,Resolve-OcsCertificateName,Set-OcsCertificate,Submit-OcsCertificateRequest,Test-OcsCertificate,Test-OcsPool,Unregister-OcsCertificateRenewal,Update-OcsCertificate,Update-OcsCertificateBinding,Update-OcsPool'
        }

        # What a fresh process pays for at import (issue 13): no other module, one merged script.
        It 'imports without loading another module, its functions from the build''s merged script' {
            $command = "Import-Module '$($psd1 -replace "'", "''")'; 'MODULES=' + ((Get-Module).Name -join ','); " +
                "'FILE=' + (Get-Command New-OcsCertificateRequest).ScriptBlock.File"
            $output = @(Invoke-OcsTestPwsh -Command $command)
            $output | Should -Contain 'MODULES=OcsCertificate' -Because 'Management, Utility and the like cost a fresh process their import'
            $output -like 'FILE=*' | Should -BeLike 'FILE=*OcsCertificate.Functions.ps1' -Because 'the build merges Public/ and Private/ (rebuild after editing them)'
        }

        # The pool commands' helpers are read by the first pool command, not at import; then they are the module's.
        It 'reads the pool helpers on the first pool command, into the module''s scope' {
            $command = "Import-Module '$($psd1 -replace "'", "''")'; `$m = Get-Module OcsCertificate; " +
                "'BEFORE=' + [bool](& `$m { Get-Command Read-OcsPoolDefinition -ErrorAction Ignore }); " +
                "try { Test-OcsPool -Pool /no/such/pool.psd1 } catch { 'ERROR=' + `$_.FullyQualifiedErrorId }; " +
                "'AFTER=' + [bool](& `$m { Get-Command Read-OcsPoolDefinition -ErrorAction Ignore }); " +
                "'EXPORTED=' + [bool](Get-Command Read-OcsPoolDefinition -ErrorAction Ignore)"
            $output = @(Invoke-OcsTestPwsh -Command $command)
            $output | Should -Contain 'BEFORE=False' -Because 'Private/OnDemand/ is not part of the import'
            $output | Should -Contain 'ERROR=PoolDefinitionNotFound,Test-OcsPool' -Because 'the command ran with its helpers'
            $output | Should -Contain 'AFTER=True'
            $output | Should -Contain 'EXPORTED=False' -Because 'the helpers stay private'
        }

        # The interop precompiled for this system (bin/<rid>/), else the portable one: the native library is found from either.
        It 'loads the interop precompiled for this system, and still runs with only the portable one' {
            $rid = '{0}-{1}' -f $(if ($IsWindows) { 'win' } elseif ($IsMacOS) { 'osx' } else { 'linux' }), [System.Runtime.InteropServices.RuntimeInformation]::ProcessArchitecture.ToString().ToLowerInvariant()
            $moduleDir = Split-Path $psd1
            $precompiled = Join-Path $moduleDir "bin/$rid/OcsCertificate.Interop.dll"
            $reader = [System.Reflection.PortableExecutable.PEReader]::new([System.IO.File]::OpenRead($precompiled))
            try { $reader.PEHeaders.CorHeader.ManagedNativeHeaderDirectory.Size | Should -BeGreaterThan 0 -Because 'it is ReadyToRun code' }
            finally { $reader.Dispose() }
            $probe = "'INTEROP=' + [OcsCertificate.Interop.NativeSession].Assembly.Location; 'NATIVE=' + (Get-OcsCertificateVersion).NativeVersion"
            $output = @(Invoke-OcsTestPwsh -Command "Import-Module '$($psd1 -replace "'", "''")'; $probe")
            $output | Should -Contain "INTEROP=$precompiled"
            $output | Should -Contain 'NATIVE=0.1.0'

            $copy = Join-Path $TestDrive 'portable/OcsCertificate'
            $null = New-Item -ItemType Directory -Force (Split-Path $copy)
            Copy-Item -Recurse $moduleDir $copy
            Remove-Item (Join-Path $copy "bin/$rid/OcsCertificate.Interop.dll")
            $output = @(Invoke-OcsTestPwsh -Command "Import-Module '$($copy -replace "'", "''")/OcsCertificate.psd1'; $probe")
            $output | Should -Contain "INTEROP=$(Join-Path $copy 'bin/OcsCertificate.Interop.dll')"
            $output | Should -Contain 'NATIVE=0.1.0'
        }

        It 'passes JSON to and from the library in ConvertTo-Json''s and ConvertFrom-Json''s shapes' {
            $json = [OcsCertificate.Interop.JsonBridge]::ToJson([ordered]@{
                    a = 'x"y'; b = [string[]] @('p', 'q'); c = [switch] $true; d = $null; e = 42; f = @{ g = 1.5 }; h = [pscustomobject]@{ i = 'j' }; k = @()
                })
            $json | Should -BeExactly '{"a":"x\u0022y","b":["p","q"],"c":true,"d":null,"e":42,"f":{"g":1.5},"h":{"i":"j"},"k":[]}'
            $value = [OcsCertificate.Interop.JsonBridge]::FromJson('{"n":7,"r":0.5,"t":"2026-11-25T02:14:13Z","s":"text","l":[1,"two"],"o":{"p":true},"z":null,"e":[]}')
            $value | Should -BeOfType [pscustomobject]
            $value.n | Should -BeOfType [long]
            $value.r | Should -BeOfType [double]
            $value.t | Should -BeOfType [datetime]
            $value.t.Kind | Should -Be 'Utc'
            $value.t | Should -Be ([datetime]::new(2026, 11, 25, 2, 14, 13, [System.DateTimeKind]::Utc))
            $value.s | Should -BeExactly 'text'
            $value.l.GetType() | Should -Be ([object[]])
            $value.l[1] | Should -BeExactly 'two'
            $value.o.p | Should -BeTrue
            $value.z | Should -BeNullOrEmpty
            @($value.e).Count | Should -Be 0
        }
    }

    Context 'command conventions: <Command>' -ForEach $commands {
        It 'uses an approved verb' {
            $verb = (Get-Command $Command).Verb
            (Get-Verb).Verb | Should -Contain $verb
        }

        It 'has comment-based help with a synopsis and at least two examples' {
            $help = Get-Help $Command -Full
            $help.Synopsis | Should -Not -BeNullOrEmpty
            # Without help, Get-Help makes the synopsis from the syntax, which starts with the name.
            $help.Synopsis.Trim() | Should -Not -BeLike "$Command*"
            $help.Description.Text | Should -Not -BeNullOrEmpty
            $examples = @($help.Examples.Example)
            $examples.Count | Should -BeGreaterOrEqual 2
            foreach ($example in $examples) {
                $example.Code | Should -BeLike "*$Command*"
                ($example.Remarks.Text -join '').Trim() | Should -Not -BeNullOrEmpty
            }
        }

        It 'is an advanced function that declares its output type' {
            $info = Get-Command $Command
            $info.CmdletBinding | Should -BeTrue
            $info.OutputType | Should -Not -BeNullOrEmpty
        }
    }

    Context 'ShouldProcess' {
        It '<Command> changes state, so it declares SupportsShouldProcess' -ForEach $stateChanging {
            $binding = (Get-Command $Command).ScriptBlock.Attributes | Where-Object { $_ -is [System.Management.Automation.CmdletBindingAttribute] }
            $binding.SupportsShouldProcess | Should -BeTrue
            (Get-Command $Command).Parameters.Keys | Should -Contain 'WhatIf'
            (Get-Command $Command).Parameters.Keys | Should -Contain 'Confirm'
        }

        It 'New- and Remove- commands are both covered' {
            $names = (Get-Command -Module OcsCertificate | Where-Object { $_.Verb -in 'New', 'Remove' }).Name
            $names | Should -Contain 'New-OcsCertificateRequest'
            $names | Should -Contain 'Remove-OcsCertificateRequest'
        }

        It '<Command> changes nothing, so it offers no -WhatIf' -ForEach $readOnly {
            (Get-Command $Command).Parameters.Keys | Should -Not -Contain 'WhatIf'
        }
    }

    Context 'parameter contract' {
        It '<Command> has exactly the expected public parameters' -ForEach $contracts {
            $common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
            $actual = @((Get-Command $Command).Parameters.Keys | Where-Object { $_ -notin $common })
            Compare-Object -ReferenceObject $Expected -DifferenceObject $actual | Should -BeNullOrEmpty
            $actual | Should -HaveCount $Expected.Count
        }
    }

    Context 'argument completion' {
        It '-Role of <Command> completes to FrontEnd, WebConferencing, AudioVideo' -ForEach @(
            @{ Command = 'Resolve-OcsCertificateName' }
            @{ Command = 'New-OcsCertificateRequest' }
            @{ Command = 'Set-OcsCertificate' }
            @{ Command = 'Get-OcsCertificateBinding' }
            @{ Command = 'Test-OcsCertificate' }
        ) {
            $line = "$Command -Role "
            $completion = TabExpansion2 -inputScript $line -cursorColumn $line.Length
            @($completion.CompletionMatches.CompletionText) | Should -Be @('FrontEnd', 'WebConferencing', 'AudioVideo')
        }

        It "-Role of New-OcsCertificateRequest completes a prefix: 'Au' to AudioVideo" {
            $line = 'New-OcsCertificateRequest -Role Au'
            $completion = TabExpansion2 -inputScript $line -cursorColumn $line.Length
            @($completion.CompletionMatches.CompletionText) | Should -Be @('AudioVideo')
        }
    }

    Context 'format views' {
        It 'defines a table view for <TypeName> and its deserialised form' -ForEach @(
            @{ TypeName = 'OcsCertificate.CertificateRequest'; Columns = @('Id', 'State', 'Created (UTC)', 'Detail', 'Key', 'Exportable', 'Subject and alternative names') }
            @{ TypeName = 'OcsCertificate.CertificateName'; Columns = @('Name', 'Source', 'Reason') }
            @{ TypeName = 'OcsCertificate.CertificateBinding'; Columns = @('Role', 'Thumbprint', 'Since (UTC)', 'NotAfter (UTC)', 'Issued by') }
            @{ TypeName = 'OcsCertificate.CheckResult'; Columns = @('Check', 'Passed', 'Detail') }
            @{ TypeName = 'OcsCertificate.Version'; Columns = @('ModuleVersion', 'NativeVersion', 'Platform', 'PSVersion', 'NativeLibraryPath') }
            @{ TypeName = 'OcsCertificate.RenewalRegistration'; Columns = @('Scheduler', 'Name', 'Registered (UTC)', 'Last run (UTC)', 'Result') }
            @{ TypeName = 'OcsCertificate.PoolMemberResult'; Columns = @('Member', 'Status', 'Thumbprint', 'NotAfter (UTC)', 'Error') }
            @{ TypeName = 'OcsCertificate.PoolMemberState'; Columns = @('Member', 'Role', 'Thumbprint', 'NotAfter (UTC)', 'Chain', 'Pool name', 'Renewal', 'Clock', 'Issuer') }
            @{ TypeName = 'OcsCertificate.PoolHandshake'; Columns = @('From', 'To', 'Passed', 'Against', 'Reason') }
            @{ TypeName = 'OcsCertificate.PoolRenewalResult'; Columns = @('Member', 'Status', 'Old', 'New', 'Detail') }
        ) {
            $format = @(Get-FormatData -TypeName $TypeName)
            $format | Should -HaveCount 1
            $format[0].TypeNames | Should -Contain $TypeName
            $format[0].TypeNames | Should -Contain "Deserialized.$TypeName"
            $table = $format[0].FormatViewDefinition | Where-Object { $_.Control -is [System.Management.Automation.TableControl] }
            $table | Should -Not -BeNullOrEmpty
            @($table.Control.Headers.Label) | Should -Be $Columns
        }

        It 'shows a request with its view' {
            $arguments = Get-OcsTestRequestArguments
            $r = New-OcsCertificateRequest @arguments -StorePath $store -SipDomain contoso.com -AutomaticSignIn
            $text = $r | Out-String -Width 200
            $text | Should -BeLike '*Created (UTC)*'
            $text | Should -BeLike "*$($r.Id)*Pending*ECDSA_P256 256*False*pool01.contoso.com*sip.contoso.com*"
        }

        It 'shows names with their view: Name, Source, Reason (no PoolFqdn column)' {
            $text = Resolve-OcsCertificateName -PoolFqdn pool01.contoso.com | Out-String -Width 200
            $text | Should -Match '(?m)^Name\s+Source\s+Reason\s*$'
        }
    }

    Context 'remoting-style serialisation' {
        It 'keeps the data properties of a request and its type name' {
            $arguments = Get-OcsTestRequestArguments
            $r = New-OcsCertificateRequest @arguments -StorePath $store -SipDomain contoso.com -SignInRedirect -FriendlyName 'OCS pool01'
            $copy = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($r))

            $copy.PSObject.TypeNames[0] | Should -BeExactly 'Deserialized.OcsCertificate.CertificateRequest'
            foreach ($property in 'Id', 'State', 'FriendlyName', 'Subject', 'CommonName', 'KeyAlgorithm', 'KeySize',
                'PrivateKeyExportable', 'PublicKeySha256', 'Created', 'RequestPem', 'StorePath') {
                $copy.$property | Should -Be $r.$property -Because "$property survives serialisation"
            }
            @($copy.AlternativeNames) -join ',' | Should -BeExactly 'pool01.contoso.com,sip.contoso.com'
            @($copy.Role) -join ',' | Should -BeExactly 'FrontEnd'
            @($copy.Names.Name) -join ',' | Should -BeExactly 'pool01.contoso.com,sip.contoso.com'
            ($copy | Out-String -Width 200) | Should -BeLike '*Created (UTC)*'
        }

        It 'keeps the data properties of a name and its type name' {
            $name = @(Resolve-OcsCertificateName -PoolFqdn pool01.contoso.com -SipDomain contoso.com -AutomaticSignIn)[-1]
            $name.Name | Should -BeExactly 'sip.contoso.com'
            $copy = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($name))
            $copy.PSObject.TypeNames[0] | Should -BeExactly 'Deserialized.OcsCertificate.CertificateName'
            foreach ($property in 'Name', 'Source', 'Reason', 'PoolFqdn') { $copy.$property | Should -BeExactly $name.$property }
        }

        It 'a deserialised request still pipes into Get-OcsCertificateRequest' {
            $arguments = Get-OcsTestRequestArguments
            $r = New-OcsCertificateRequest @arguments -StorePath $store
            $copy = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($r))
            ($copy | Get-OcsCertificateRequest).Id | Should -BeExactly $r.Id
        }
    }

    Context 'the interop assembly' {
        It 'finds every operation the cmdlets call in the native library, by name' {
            # Directly, or on a pool member through Invoke-OcsMemberOperation.
            $scripts = Get-ChildItem -Recurse -Filter *.ps1 (Join-Path $repo 'module/OcsCertificate/Private'), (Join-Path $repo 'module/OcsCertificate/Public')
            $names = @(Select-String -Path $scripts.FullName -Pattern '(?:-Operation|Invoke-OcsMemberOperation)\s+([a-z_]+)' -AllMatches |
                    ForEach-Object { $_.Matches } | ForEach-Object { $_.Groups[1].Value } | Sort-Object -Unique)
            $names.Count | Should -Be 24
            $session = [OcsCertificate.Interop.NativeSession]::new($store)
            try {
                foreach ($name in $names) {
                    # Malformed input: the operation runs, the native side refuses it.
                    $thrown = { $session.Invoke($name, '[1]', $null) } | Should -Throw -PassThru -Because $name
                    $thrown.Exception.InnerException | Should -BeOfType [OcsCertificate.Interop.OcsCertException]
                    $thrown.Exception.InnerException.Reason | Should -BeExactly 'InvalidJson' -Because $name
                }
            }
            finally { $session.Dispose() }
        }

        It "refuses '<Operation>' with an ArgumentException naming it, and calls nothing" -ForEach @(
            @{ Operation = 'no_such_operation' }
            @{ Operation = 'context_free' }  # exported, but not an operation
            @{ Operation = 'error_free' }
            @{ Operation = 'version' }
            @{ Operation = 'Request_New' }
            @{ Operation = '' }
        ) {
            $session = [OcsCertificate.Interop.NativeSession]::new($store)
            try {
                $thrown = { $session.Invoke($Operation, '{}', $null) } | Should -Throw -PassThru
                $thrown.Exception.InnerException | Should -BeOfType [System.ArgumentException]
                $thrown.Exception.InnerException.ParamName | Should -BeExactly 'operation'
                $thrown.Exception.InnerException.Message | Should -BeLike "Unknown operation '$Operation'*"
                # The session still works afterwards.
                $session.Invoke('request_list', '{}', $null) | Should -BeLike '*"requests":`[`]*'
            }
            finally { $session.Dispose() }
        }
    }

    Context 'the example script' {
        It 'examples/New-PoolRequest.ps1 runs without error and openssl says verify OK' {
            $example = Join-Path $repo 'examples/New-PoolRequest.ps1'
            $output = @(Invoke-OcsTestPwsh -File $example)
            $text = $output -join "`n"
            $LASTEXITCODE | Should -Be 0 -Because $text
            $text | Should -BeLike '*verify OK*'
            $text | Should -BeLike '*sip.fabrikam.com*'
            $text | Should -Not -BeLike '*Exception*'
        }
    }
}
