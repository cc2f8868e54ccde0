# Removing the renewal job: exactly the files that were registered (the folder's
# other files and the rest of the store stay), -WhatIf, nothing registered, pipelines.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force; Import-OcsTestModule

    function Get-Tree([string] $Path) {
        @(Get-ChildItem -LiteralPath $Path -Recurse -Force -File | ForEach-Object { $_.FullName.Substring($Path.Length) } | Sort-Object)
    }
}

Describe 'Unregister-OcsCertificateRenewal' {
    BeforeEach {
        $store = New-OcsTestStore
        $folder = Join-Path ([System.IO.Path]::GetTempPath()) ("ocscert-sched-" + [guid]::NewGuid().ToString('n'))
        $null = New-Item -ItemType Directory $folder
    }
    AfterEach {
        Remove-Item -LiteralPath $store, $folder -Recurse -Force -ErrorAction SilentlyContinue
        $env:OCSCERT_STORE = $null
    }

    It 'removes exactly what was registered, for <Scheduler>' -ForEach @(@{ Scheduler = 'Cron' }, @{ Scheduler = 'Systemd' }) {
        # Other jobs in the folder, and the store's own files, are not the registration's.
        Set-Content -LiteralPath (Join-Path $folder 'someone-else') '0 0 * * * root true'
        Set-Content -LiteralPath (Join-Path $folder 'ocscert-renew-00000000.timer') '# another store''s job'
        $foldersBefore = Get-Tree $folder
        $registered = Register-OcsCertificateRenewal -Scheduler $Scheduler -Folder $folder -StorePath $store
        $registered.Files | Should -Not -BeNullOrEmpty
        $storeBefore = Get-Tree $store | Where-Object { $_ -notlike '*registration.json' }

        $output = Unregister-OcsCertificateRenewal -StorePath $store -Confirm:$false -Verbose 4>&1
        Get-Tree $folder | Should -Be $foldersBefore
        Get-Tree $store | Should -Be $storeBefore -Because 'only the registration record goes from the store'
        foreach ($file in $registered.Files) { "$output" | Should -BeLike "*Removed '$file'.*" }
        Get-OcsCertificateRenewal -StorePath $store | Should -BeNullOrEmpty
    }

    It '-WhatIf lists what would go and removes nothing' {
        $registered = Register-OcsCertificateRenewal -Scheduler Systemd -Folder $folder -StorePath $store
        $command = "Import-Module '$((Resolve-Path (Join-Path $PSScriptRoot '../../module/OcsCertificate/OcsCertificate.psd1')).Path)'; Unregister-OcsCertificateRenewal -StorePath '$store' -WhatIf"
        $output = (Invoke-OcsTestPwsh -Command $command) -join "`n"
        $LASTEXITCODE | Should -Be 0 -Because $output
        $output | Should -BeLike "*What if: Performing the operation ""Unregister the renewal job $($registered.Name) (Systemd)""*--- removes: $($registered.Files[0])*--- removes: $($registered.Files[1])*"
        Unregister-OcsCertificateRenewal -StorePath $store -WhatIf
        foreach ($file in $registered.Files) { $file | Should -Exist }
        (Get-OcsCertificateRenewal -StorePath $store).Name | Should -BeExactly $registered.Name
    }

    It 'a file already removed by hand is a warning, and the rest still goes' {
        $registered = Register-OcsCertificateRenewal -Scheduler Systemd -Folder $folder -StorePath $store
        Remove-Item -LiteralPath $registered.Files[0]
        Unregister-OcsCertificateRenewal -StorePath $store -Confirm:$false -WarningVariable warnings -WarningAction SilentlyContinue
        "$warnings" | Should -BeExactly "'$($registered.Files[0])' was already gone."
        $registered.Files[1] | Should -Not -Exist
        Get-OcsCertificateRenewal -StorePath $store | Should -BeNullOrEmpty
    }

    It 'leaves alone a job registered for another store: a copied store, or a record listing other files' {
        $registered = Register-OcsCertificateRenewal -Scheduler Cron -Folder $folder -StorePath $store
        $copy = New-OcsTestStore
        try {
            Copy-Item -Recurse -LiteralPath $store -Destination $copy  # a backup restored elsewhere
            $err = { Unregister-OcsCertificateRenewal -StorePath $copy -Confirm:$false -ErrorAction Stop } |
                Should -Throw -ErrorId 'RegisteredForAnotherStore,Unregister-OcsCertificateRenewal' -PassThru
            $err.Exception.Message | Should -BeLike "StorePath: The renewal registration in '$copy' was made for the store '$store'*"
            foreach ($file in $registered.Files) { $file | Should -Exist }
        }
        finally { Remove-Item -LiteralPath $copy -Recurse -Force -ErrorAction SilentlyContinue }

        # A record edited to list a file that is not the job's: that file is not removed.
        $victim = Join-Path $folder 'not-the-jobs-file'
        Set-Content -LiteralPath $victim 'keep me'
        $record = Join-Path $store 'renewal/registration.json'
        $json = Get-Content -Raw -LiteralPath $record | ConvertFrom-Json
        $json.files = @($json.files) + $victim
        Set-Content -LiteralPath $record ($json | ConvertTo-Json -Depth 5)
        $null = Unregister-OcsCertificateRenewal -StorePath $store -Confirm:$false
        $victim | Should -Exist
        foreach ($file in $registered.Files) { $file | Should -Not -Exist }
    }

    It 'nothing registered is a non-terminating NotRegistered error' {
        $errors = $null
        Unregister-OcsCertificateRenewal -StorePath $store -Confirm:$false -ErrorVariable errors -ErrorAction SilentlyContinue
        @($errors) | Should -HaveCount 1
        $errors[0].FullyQualifiedErrorId | Should -BeExactly 'NotRegistered,Unregister-OcsCertificateRenewal'
        $errors[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $errors[0].Exception.Message | Should -BeExactly "No renewal job is registered for the store '$store'."
    }

    It 'takes the stores from Get-OcsCertificateRenewal through the pipeline' {
        $other = New-OcsTestStore
        try {
            $null = Register-OcsCertificateRenewal -Scheduler Cron -Folder $folder -StorePath $store
            $null = Register-OcsCertificateRenewal -Scheduler Cron -Folder $folder -StorePath $other
            @(Get-ChildItem -LiteralPath $folder) | Should -HaveCount 2 -Because 'each store has its own job name'
            @($store, $other) | ForEach-Object { Get-OcsCertificateRenewal -StorePath $_ } | Unregister-OcsCertificateRenewal -Confirm:$false
            @(Get-ChildItem -LiteralPath $folder) | Should -BeNullOrEmpty
        }
        finally { Remove-Item -LiteralPath $other -Recurse -Force -ErrorAction SilentlyContinue }
    }
}
