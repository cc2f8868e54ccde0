BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force; Import-OcsTestModule
}

Describe 'Remove-OcsCertificateRequest' {
    BeforeEach {
        $store = New-OcsTestStore
        $request = Get-OcsTestRequestArguments
        $request['StorePath'] = $store
    }
    AfterEach {
        Remove-Item -LiteralPath $store -Recurse -Force -ErrorAction SilentlyContinue
        $env:OCSCERT_STORE = $null
    }

    It 'removes the request and its folder (key included), and nothing else' {
        $keep = New-OcsCertificateRequest @request -PoolFqdn pool01.contoso.com
        $gone = New-OcsCertificateRequest @request -PoolFqdn pool02.contoso.com
        $folder = Join-Path $store "requests/$($gone.Id)"
        Test-Path -LiteralPath (Join-Path $folder 'key.pem') | Should -BeTrue

        $output = Remove-OcsCertificateRequest -Id $gone.Id -StorePath $store -Confirm:$false
        $output | Should -BeNullOrEmpty
        Test-Path -LiteralPath $folder | Should -BeFalse
        @(Get-OcsCertificateRequest -StorePath $store).Id | Should -Be @($keep.Id)
        { Get-OcsCertificateRequest -Id $gone.Id -StorePath $store } | Should -Throw -ErrorId 'RequestNotFound,Get-OcsCertificateRequest'
        # Only the kept request's folder is left: no half-removed folder either.
        @(Get-ChildItem -LiteralPath (Join-Path $store 'requests') -Force).Name | Should -Be @($keep.Id)
    }

    It 'keeps the request with -WhatIf' {
        $r = New-OcsCertificateRequest @request
        Remove-OcsCertificateRequest -Id $r.Id -StorePath $store -WhatIf
        @(Get-OcsCertificateRequest -StorePath $store).Id | Should -Be @($r.Id)
        Test-Path -LiteralPath (Join-Path $store "requests/$($r.Id)/key.pem") | Should -BeTrue
    }

    It 'declares SupportsShouldProcess with ConfirmImpact High' {
        $binding = (Get-Command Remove-OcsCertificateRequest).ScriptBlock.Attributes |
            Where-Object { $_ -is [System.Management.Automation.CmdletBindingAttribute] }
        $binding.SupportsShouldProcess | Should -BeTrue
        $binding.ConfirmImpact | Should -Be ([System.Management.Automation.ConfirmImpact]::High)
    }

    It 'asks for confirmation by default: a non-interactive session removes only with -Confirm:$false' {
        $r = New-OcsCertificateRequest @request
        $psd1 = (Get-Module OcsCertificate).Path -replace "'", "''"
        $command = "Import-Module '$psd1'; " +
            "Remove-OcsCertificateRequest -Id $($r.Id) -StorePath '$store'; 'LEFT=' + @(Get-OcsCertificateRequest -StorePath '$store').Count; " +
            "Remove-OcsCertificateRequest -Id $($r.Id) -StorePath '$store' -Confirm:`$false; 'LEFT=' + @(Get-OcsCertificateRequest -StorePath '$store').Count"
        $output = @(Invoke-OcsTestPwsh -Command $command)
        $text = $output -join "`n"
        # The first call tries to prompt (ConfirmImpact High), which a non-interactive session cannot.
        # Says why and what to do, not "Exception calling ShouldProcess".
        $text | Should -BeLike '*asks for confirmation, and this session cannot ask*-Confirm:$false*' -Because 'the confirmation prompt cannot be shown'
        $text | Should -Not -BeLike '*Exception calling*'
        $left = @($output | Where-Object { $_ -like 'LEFT=*' })
        $left | Should -HaveCount 2 -Because $text
        $left[0] | Should -BeExactly 'LEFT=1' -Because "confirmation could not be obtained, so the request and its key must stay:`n$text"
        $left[1] | Should -BeExactly 'LEFT=0' -Because $text
        Get-OcsCertificateRequest -StorePath $store | Should -BeNullOrEmpty
    }

    It 'reports an unknown id as RequestNotFound, category ObjectNotFound (<Case>)' -ForEach @(
        @{ Case = 'unknown id'; Id = 'deadbeef'; WithRequest = $true }
        @{ Case = 'not an id'; Id = '../requests'; WithRequest = $true }
        @{ Case = 'no store yet'; Id = 'deadbeef'; WithRequest = $false }
    ) {
        if ($WithRequest) { $r = New-OcsCertificateRequest @request }
        $err = { Remove-OcsCertificateRequest -Id $Id -StorePath $store -Confirm:$false } |
            Should -Throw -ErrorId 'RequestNotFound,Remove-OcsCertificateRequest' -PassThru
        $err.FullyQualifiedErrorId | Should -BeExactly 'RequestNotFound,Remove-OcsCertificateRequest'
        $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $err.Exception.Message | Should -BeLike 'Id: *'
        if ($WithRequest) { @(Get-OcsCertificateRequest -StorePath $store).Id | Should -Be @($r.Id) }
    }

    It 'removes every request piped from Get-OcsCertificateRequest' {
        1..3 | ForEach-Object { $null = New-OcsCertificateRequest @request -PoolFqdn "pool0$_.contoso.com" }
        @(Get-OcsCertificateRequest -StorePath $store) | Should -HaveCount 3
        Get-OcsCertificateRequest -StorePath $store | Remove-OcsCertificateRequest -Confirm:$false
        Get-OcsCertificateRequest -StorePath $store | Should -BeNullOrEmpty
        Get-ChildItem -LiteralPath (Join-Path $store 'requests') -Force | Should -BeNullOrEmpty
    }

    It 'binds Id by its alias RequestId and StorePath by property name' {
        $r = New-OcsCertificateRequest @request
        [pscustomobject]@{ RequestId = $r.Id; StorePath = $store } | Remove-OcsCertificateRequest -Confirm:$false
        Get-OcsCertificateRequest -StorePath $store | Should -BeNullOrEmpty
    }

    It 'removes from $env:OCSCERT_STORE when -StorePath is not given' {
        $r = New-OcsCertificateRequest @request
        $env:OCSCERT_STORE = $store
        Remove-OcsCertificateRequest -Id $r.Id -Confirm:$false
        Get-OcsCertificateRequest -StorePath $store | Should -BeNullOrEmpty
    }
}
