# The pool definition is checked whole before any member is contacted (these members do not exist: a
# check that got as far as connecting would fail differently). The pool flow itself runs against real
# members in tests/pool.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force; Import-OcsTestModule
    $folder = Join-Path ([System.IO.Path]::GetTempPath()) ("ocscert-pooldef-" + [guid]::NewGuid().ToString('n'))
    $null = New-Item -ItemType Directory $folder
    function Write-Definition([string] $Members, [string] $Extra = '') {
        $path = Join-Path $folder ("pool-" + [guid]::NewGuid().ToString('n') + '.psd1')
        Set-Content $path @"
@{
    PoolFqdn = 'pool01.contoso.com'
    SipDomain = 'contoso.com'
    Request = @{ CA = 'acme:https://ca.contoso.com/dir'; Organization = 'Contoso'; Country = 'US'; State = 'Washington'; City = 'Redmond' }
    $Extra
    Members = @( $Members )
}
"@
        $path
    }
}

AfterAll { Remove-Item -Recurse -Force $folder -ErrorAction SilentlyContinue }

Describe 'Request-OcsPoolCertificate (the pool definition)' {
    It 'shows under -WhatIf what each member would request, and contacts nobody' {
        $pool = Write-Definition "@{ Fqdn = 'fe01.contoso.com' }, @{ Fqdn = 'fe02.contoso.com'; Role = 'FrontEnd', 'AudioVideo' }"
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        $lines = Invoke-OcsTestPwsh -Command "Import-Module '$((Get-Module OcsCertificate).Path)'; Request-OcsPoolCertificate -Pool '$pool' -Assign -WhatIf"
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 30
        $text = $lines -join "`n"
        $text | Should -Match 'What if: .*"Request a certificate for pool01\.contoso\.com from acme:https://ca\.contoso\.com/dir and assign it to FrontEnd" on target "fe01\.contoso\.com"'
        $text | Should -Match 'What if: .*"Request a certificate for .* and assign it to FrontEnd, AudioVideo" on target "fe02\.contoso\.com"'
    }

    It 'refuses <Case> naming the field, before contacting any member' -ForEach @(
        @{ Case = 'a duplicate member'; Members = "@{ Fqdn = 'fe01.contoso.com' }, @{ Fqdn = 'FE01.contoso.com' }"; Id = 'DuplicateMember'; Field = 'Members\[1\]\.fqdn' }
        @{ Case = 'a member FQDN that is not a DNS name'; Members = "@{ Fqdn = 'fe 01.contoso.com' }"; Id = '*'; Field = 'Members\[0\]\.fqdn' }
        @{ Case = 'a short machine name'; Members = "@{ Fqdn = 'fe01' }"; Id = 'NotFullyQualified'; Field = 'Members\[0\]\.fqdn' }
        @{ Case = 'the Web Components role'; Members = "@{ Fqdn = 'fe01.contoso.com'; Role = 'WebComponents' }"; Id = 'WebComponentsNotSupported'; Field = 'Members\[0\]\.role' }
        @{ Case = 'an unknown member key'; Members = "@{ Fqdn = 'fe01.contoso.com'; Rolle = 'FrontEnd' }"; Id = 'UnknownField'; Field = 'Members\[0\]\.rolle' }
        @{ Case = 'the pool name as a member'; Members = "@{ Fqdn = 'pool01.contoso.com' }"; Id = 'MemberIsPool'; Field = 'Members\[0\]\.fqdn' }
        @{ Case = 'SSH and WinRM on one member'; Members = "@{ Fqdn = 'fe01.contoso.com'; HostName = 'fe01'; ComputerName = 'FE01' }"; Id = 'TransportConflict'; Field = 'Members\[0\]\.computerName' }
        @{ Case = 'a host name with a space'; Members = "@{ Fqdn = 'fe01.contoso.com'; HostName = 'fe01 contoso' }"; Id = 'InvalidHostName'; Field = 'Members\[0\]\.hostName' }
        @{ Case = 'a host name that is an ssh option'; Members = "@{ Fqdn = 'fe01.contoso.com'; HostName = '-oProxyCommand=x' }"; Id = 'InvalidHostName'; Field = 'Members\[0\]\.hostName' }
    ) {
        $pool = Write-Definition $Members
        { Request-OcsPoolCertificate -Pool $pool -Assign -Confirm:$false } | Should -Throw -ExpectedMessage "*" -ErrorId "$Id,Request-OcsPoolCertificate" -PassThru |
            ForEach-Object { $_.Exception.Message | Should -Match "^$Field" }
    }

    It 'refuses an unknown pool key and a missing file with their names' {
        $pool = Write-Definition "@{ Fqdn = 'fe01.contoso.com' }" "Throttle = 4"
        { Request-OcsPoolCertificate -Pool $pool } | Should -Throw -ErrorId 'UnknownField,Request-OcsPoolCertificate' -ExpectedMessage '*throttle*'
        { Request-OcsPoolCertificate -Pool (Join-Path $folder 'missing.psd1') } | Should -Throw -ErrorId 'PoolDefinitionNotFound,Request-OcsPoolCertificate'
        { Request-OcsPoolCertificate -Pool $folder } | Should -Throw -ErrorId 'PoolDefinitionNotFound,Request-OcsPoolCertificate' -ExpectedMessage '*is a folder*'
    }

    It 'refuses a member outside the pool' {
        $pool = Write-Definition "@{ Fqdn = 'fe01.contoso.com' }"
        { Request-OcsPoolCertificate -Pool $pool -Member fe09 } | Should -Throw -ErrorId 'UnknownMember,Request-OcsPoolCertificate' -ExpectedMessage '*fe09*fe01.contoso.com*'
    }

    It 'refuses an empty -Member (it meant the whole pool) and a short name two members share' {
        $pool = Write-Definition "@{ Fqdn = 'fe01.contoso.com' }, @{ Fqdn = 'fe01.fabrikam.com' }, @{ Fqdn = 'fe02.contoso.com' }"
        $unset = $null
        { Update-OcsPool -Pool $pool -Member $unset -WhatIf } | Should -Throw -ErrorId 'EmptyMember,Update-OcsPool'
        { Request-OcsPoolCertificate -Pool $pool -Member '' -WhatIf } | Should -Throw -ErrorId 'EmptyMember,Request-OcsPoolCertificate'
        { Test-OcsPool -Pool $pool -Member fe01 } | Should -Throw -ErrorId 'AmbiguousMember,Test-OcsPool' -ExpectedMessage '*fe01*fe01.contoso.com*fe01.fabrikam.com*'
    }

    It 'refuses a file that holds no definition table, naming it' {
        $empty = Join-Path $folder 'empty.psd1'
        Set-Content -LiteralPath $empty -Value ''
        { Request-OcsPoolCertificate -Pool $empty -WhatIf } | Should -Throw -ErrorId 'InvalidPoolDefinition,Request-OcsPoolCertificate' -ExpectedMessage "Pool: '*empty.psd1'*"
        $text = Join-Path $folder 'text.json'
        Set-Content -LiteralPath $text -Value '"just a string"'
        { Test-OcsPool -Pool $text } | Should -Throw -ErrorId 'InvalidPoolDefinition,Test-OcsPool' -ExpectedMessage "Pool: '*text.json' holds no pool definition*"
    }
}
