BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force; Import-OcsTestModule
}

Describe 'Get-OcsCertificateRequest' {
    BeforeEach {
        $store = New-OcsTestStore
        $request = Get-OcsTestRequestArguments
        $request['StorePath'] = $store
    }
    AfterEach {
        Remove-Item -LiteralPath $store -Recurse -Force -ErrorAction SilentlyContinue
        $env:OCSCERT_STORE = $null
    }

    It 'returns nothing, without error, for an empty store' {
        $null = New-Item -ItemType Directory -Path $store
        $result = Get-OcsCertificateRequest -StorePath $store -ErrorVariable problems
        $result | Should -BeNullOrEmpty
        $problems | Should -BeNullOrEmpty
    }

    It 'returns nothing, without error and without creating it, for a store that does not exist yet, with a warning naming it' {
        $result = Get-OcsCertificateRequest -StorePath $store -ErrorVariable problems -WarningVariable warnings -WarningAction SilentlyContinue
        $result | Should -BeNullOrEmpty
        $problems | Should -BeNullOrEmpty
        @($warnings) | Should -HaveCount 1
        "$($warnings[0])" | Should -BeExactly "The store '$store' does not exist; it holds no requests."
        Test-Path -LiteralPath $store | Should -BeFalse
    }

    It 'refuses a file given as the store (StoreNotAFolder, StorePath), and so does New-OcsCertificateRequest' {
        $file = "$store.pem"
        Set-Content -LiteralPath $file -Value 'not a store'
        try {
            $err = { Get-OcsCertificateRequest -StorePath $file } | Should -Throw -ErrorId 'StoreNotAFolder,Get-OcsCertificateRequest' -PassThru
            $err.Exception.Message | Should -BeExactly "StorePath: The store path '$file' is a file, not a folder; give a folder for the store (it is made when first needed)."
            $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $request['StorePath'] = $file
            { New-OcsCertificateRequest @request } | Should -Throw -ErrorId 'StoreNotAFolder,New-OcsCertificateRequest'
            Get-Content -Raw -LiteralPath $file | Should -BeExactly "not a store$([Environment]::NewLine)"
        }
        finally { Remove-Item -LiteralPath $file -Force }
    }

    It 'leaves out a request whose record cannot be read, with a warning naming it, and lists the others' {
        $damaged = New-OcsCertificateRequest @request -PoolFqdn pool01.contoso.com
        $intact = New-OcsCertificateRequest @request -PoolFqdn pool02.contoso.com
        $record = Join-Path $store "requests/$($damaged.Id)/request.json"
        Set-Content -LiteralPath $record -Value 'garbage'
        $list = @(Get-OcsCertificateRequest -StorePath $store -WarningVariable warnings -WarningAction SilentlyContinue)
        $list.Id | Should -Be @($intact.Id)
        @($warnings) | Should -HaveCount 1
        "$($warnings[0])" | Should -BeLike "requests/$($damaged.Id)/request.json cannot be read: it is not JSON (*); the request is left out of this list*"
        $err = { Get-OcsCertificateRequest -Id $damaged.Id -StorePath $store } | Should -Throw -ErrorId 'RequestUnreadable,Get-OcsCertificateRequest' -PassThru
        $err.Exception.Message | Should -BeLike "Id: The request's record requests/$($damaged.Id)/request.json cannot be read*"
        (Get-Content -Raw -LiteralPath $record).Trim() | Should -BeExactly 'garbage' -Because 'nothing is repaired'
    }

    It 'lists two requests, oldest first, with the data New-OcsCertificateRequest returned' {
        $first = New-OcsCertificateRequest @request -PoolFqdn pool01.contoso.com -FriendlyName first
        # Creation times have one-second resolution: make the order unambiguous.
        Start-Sleep -Milliseconds (1050 - [datetime]::UtcNow.Millisecond)
        $second = New-OcsCertificateRequest @request -PoolFqdn pool02.contoso.com -FriendlyName second

        $list = @(Get-OcsCertificateRequest -StorePath $store)
        $list | Should -HaveCount 2
        ($list.Id -join ',') | Should -BeExactly "$($first.Id),$($second.Id)"
        $list[0].Created | Should -BeLessThan $list[1].Created
        foreach ($pair in @(@($list[0], $first), @($list[1], $second))) {
            $got, $made = $pair
            $got.PSObject.TypeNames[0] | Should -BeExactly 'OcsCertificate.CertificateRequest'
            foreach ($property in 'Id', 'State', 'FriendlyName', 'Subject', 'CommonName', 'KeyAlgorithm', 'KeySize',
                'PrivateKeyExportable', 'PublicKeySha256', 'Created', 'RequestPem', 'StorePath') {
                $got.$property | Should -Be $made.$property -Because "Get returns $property as New did"
            }
            ($got.AlternativeNames -join ',') | Should -BeExactly ($made.AlternativeNames -join ',')
            ($got.Names.Reason -join '|') | Should -BeExactly ($made.Names.Reason -join '|')
            ($got.Role -join ',') | Should -BeExactly ($made.Role -join ',')
        }
    }

    It '-Id returns only that request' {
        $first = New-OcsCertificateRequest @request -PoolFqdn pool01.contoso.com
        $second = New-OcsCertificateRequest @request -PoolFqdn pool02.contoso.com
        $got = @(Get-OcsCertificateRequest -Id $second.Id -StorePath $store)
        $got | Should -HaveCount 1
        $got[0].Id | Should -BeExactly $second.Id
        $got[0].CommonName | Should -BeExactly 'pool02.contoso.com'
        (Get-OcsCertificateRequest $first.Id -StorePath $store).CommonName | Should -BeExactly 'pool01.contoso.com'  # positional
    }

    It 'binds -Id by its alias RequestId from the pipeline' {
        $made = New-OcsCertificateRequest @request
        $got = [pscustomobject]@{ RequestId = $made.Id; StorePath = $store } | Get-OcsCertificateRequest
        $got.Id | Should -BeExactly $made.Id
    }

    It 'reports an unknown -Id as RequestNotFound (<Id>), category ObjectNotFound' -ForEach @(
        @{ Id = 'deadbeef' }
        @{ Id = 'not-an-id' }
        @{ Id = '../../etc' }
    ) {
        $null = New-OcsCertificateRequest @request
        $err = { Get-OcsCertificateRequest -Id $Id -StorePath $store } | Should -Throw -ErrorId 'RequestNotFound,Get-OcsCertificateRequest' -PassThru
        $err.FullyQualifiedErrorId | Should -BeExactly 'RequestNotFound,Get-OcsCertificateRequest'
        $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $err.Exception.Message | Should -BeLike 'Id: *'
        $err.TargetObject | Should -BeExactly $Id
    }

    It 'reports an unknown -Id as RequestNotFound when the store does not exist' {
        { Get-OcsCertificateRequest -Id deadbeef -StorePath $store } | Should -Throw -ErrorId 'RequestNotFound,Get-OcsCertificateRequest'
    }

    It '-StorePath overrides $env:OCSCERT_STORE' {
        $other = New-OcsTestStore
        try {
            $env:OCSCERT_STORE = $store
            $inEnvStore = New-OcsCertificateRequest @request -PoolFqdn pool01.contoso.com
            $inOther = New-OcsCertificateRequest @request -PoolFqdn pool02.contoso.com -StorePath $other
            $got = @(Get-OcsCertificateRequest -StorePath $other)
            ($got.Id -join ',') | Should -BeExactly $inOther.Id
            $got[0].StorePath | Should -BeExactly $other
            $inEnvStore.Id | Should -Not -BeIn $got.Id
        }
        finally {
            Remove-Item -LiteralPath $other -Recurse -Force -ErrorAction SilentlyContinue
        }
    }

    It 'refuses an explicit empty -StorePath instead of using $env:OCSCERT_STORE; an empty StorePath of a piped object still means it' {
        $made = New-OcsCertificateRequest @request
        $env:OCSCERT_STORE = $store
        $err = { Get-OcsCertificateRequest -StorePath '' } | Should -Throw -ErrorId 'EmptyStorePath,Get-OcsCertificateRequest' -PassThru
        $err.Exception.Message | Should -BeExactly 'StorePath: give a folder, or leave the parameter out to use $env:OCSCERT_STORE or the default store.'
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        { Get-OcsCertificateRequest -StorePath $null } | Should -Throw -ErrorId 'EmptyStorePath,Get-OcsCertificateRequest'
        { Remove-OcsCertificateRequest -Id $made.Id -StorePath '' -Confirm:$false } | Should -Throw -ErrorId 'EmptyStorePath,Remove-OcsCertificateRequest'
        $piped = [pscustomobject]@{ Id = $made.Id; StorePath = '' } | Get-OcsCertificateRequest
        $piped.Id | Should -BeExactly $made.Id
        $piped.StorePath | Should -BeExactly $store
    }

    It 'uses $env:OCSCERT_STORE when -StorePath is not given' {
        # Read-only on purpose: if the variable is ignored, nothing is written elsewhere.
        $made = New-OcsCertificateRequest @request
        $env:OCSCERT_STORE = $store
        $got = @(Get-OcsCertificateRequest)
        ($got.Id -join ',') | Should -BeExactly $made.Id -Because 'the store is $env:OCSCERT_STORE, set in this session'
        $got[0].StorePath | Should -BeExactly $store
    }

    It 'lists a request created in another pwsh process, and that process sees ours' {
        $ours = New-OcsCertificateRequest @request -PoolFqdn pool01.contoso.com
        $psd1 = (Get-Module OcsCertificate).Path -replace "'", "''"
        $command = "`$ErrorActionPreference = 'Stop'; Import-Module '$psd1'; " +
            "`$r = New-OcsCertificateRequest -PoolFqdn pool02.contoso.com -Organization Contoso -Country US -State Washington -City Redmond -KeyAlgorithm ECDSA_P256 -StorePath '$store'; " +
            "'ID=' + `$r.Id; (Get-OcsCertificateRequest -StorePath '$store').Id | ForEach-Object { 'SEEN=' + `$_ }"
        $output = @(Invoke-OcsTestPwsh -Command $command)
        $LASTEXITCODE | Should -Be 0 -Because ($output -join "`n")
        $theirs = ($output | Where-Object { $_ -like 'ID=*' }) -replace '^ID='
        $theirs | Should -Match '^[0-9a-f]{8}$'
        @($output | Where-Object { $_ -like 'SEEN=*' }) -replace '^SEEN=' | Should -Contain $ours.Id

        $list = @(Get-OcsCertificateRequest -StorePath $store)
        $list.Id | Should -Contain $theirs
        $list.Id | Should -Contain $ours.Id
        ($list | Where-Object Id -EQ $theirs).CommonName | Should -BeExactly 'pool02.contoso.com'
    }
}
