# What every pool test file starts with: the module, the lab of members and their pool definition.
Import-Module (Join-Path $PSScriptRoot '../module/TestHelpers.psm1') -Force -Global
Import-Module (Join-Path $PSScriptRoot '../../examples/PoolHosts.psm1') -Force -Global
Import-Module (Join-Path $PSScriptRoot '../../examples/PoolDefinition.psm1') -Force -Global

# A lab of members under a new temporary folder, the pool name resolving to -PoolAddress (default: every
# member), and pool01.psd1 for -PoolMember (default: all). Returns Lab, Folder, Pool (the file) and
# Connect (the New-PSSession parameters an admin would use for one member).
function New-OcsTestPool {
    param(
        [Parameter(Mandatory)] [string[]] $Member,
        [string[]] $WithoutModule = @(),
        [int] $ValiditySeconds,
        [string[]] $PoolAddressOf,
        [string[]] $PoolMember
    )
    Import-OcsTestModule
    $folder = Join-Path ([System.IO.Path]::GetTempPath()) ("ocscert-pool-" + [guid]::NewGuid().ToString('n'))
    $lab = New-OcsPoolHosts -Folder $folder -Member $Member -WithoutModule $WithoutModule -ValiditySeconds $ValiditySeconds
    $addresses = @($lab.Members | Where-Object { -not $PoolAddressOf -or $_.Name -in $PoolAddressOf } | ForEach-Object Address)
    Set-OcsPoolHostsName -Lab $lab -Name 'pool01.contoso.test' -Address $addresses
    [pscustomobject]@{
        Lab     = $lab
        Folder  = $folder
        Pool    = Write-OcsPoolDefinition -Lab $lab -Path (Join-Path $folder 'pool01.psd1') -Member $(if ($PoolMember) { $PoolMember } else { $Member })
        Connect = @{ UserName = $lab.UserName; KeyFilePath = $lab.KeyFilePath; Options = @{ StrictHostKeyChecking = 'no'; UserKnownHostsFile = '/dev/null'; LogLevel = 'ERROR' } }
    }
}

function Remove-OcsTestPool($Test) {
    if (-not $Test) { return }
    if ($Test.Lab) { Remove-OcsPoolHosts -Lab $Test.Lab }
    Remove-Item -Recurse -Force $Test.Folder -ErrorAction SilentlyContinue
}

Export-ModuleMember -Function New-OcsTestPool, Remove-OcsTestPool
