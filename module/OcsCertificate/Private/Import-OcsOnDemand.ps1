# Helpers that only a few commands need (Private/OnDemand/<Name>.ps1: the pool commands' 23 KB) are
# read the first time one of those commands runs, not on every import, where parsing them cost every
# fresh process about 13 ms. Their functions are declared `script:`, so they become the module's own,
# as if imported with it. Neither the build's merge nor the import reads that folder.
function Import-OcsOnDemand([string] $Name) {
    if ($script:OcsOnDemandLoaded -contains $Name) { return }
    . ([System.IO.Path]::Combine($ExecutionContext.SessionState.Module.ModuleBase, 'Private', 'OnDemand', "$Name.ps1"))
    $script:OcsOnDemandLoaded = @($script:OcsOnDemandLoaded) + $Name
}
