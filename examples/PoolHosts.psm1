# A lab of pool members on this machine, for the pool tests and the demo: one Linux
# network namespace per member on a bridge of its own, each member with its own sshd
# (PowerShell SSH subsystem), host name, store, user module path, /etc/hosts, cron.d
# and process namespace; the embedded Pebble on the bridge validates members by name.
#
# Nothing of the machine is changed but the lab's own links, namespaces and processes
# (all removed by Remove-OcsPoolHosts). Members see the lab's hosts file as /etc/hosts
# through their own mount namespace; the admin process must run under
# tests/pool/with-own-hosts.sh, which gives it a private /etc/hosts that the lab adds
# its names to. Needs root (see Test-OcsPoolHostSupport).

Import-Module (Join-Path $PSScriptRoot 'EmbeddedCa.psm1')

$script:RepoRoot = Split-Path -Parent $PSScriptRoot
# Every lab's bridge carries this alias prefix, its owner and its folder: a later lab
# sweeps the labs whose owner process is gone (a killed test run).
$script:AliasPrefix = 'ocscert-poolhosts'
# The programs a lab runs, as /proc/<pid>/comm names them (15 characters at most).
$script:LabPrograms = 'ip', 'unshare', 'sh', 'sshd', 'pebble', 'pebble-challtes'

# (No param block: ip's own options such as -o and -n must reach ip.)
function Invoke-Ip {
    $Arguments = [string[]] $args
    $output = & ip @Arguments 2>&1
    if ($LASTEXITCODE -ne 0) { throw "'ip $($Arguments -join ' ')' failed: $output" }
    $output
}

# The start time of a live process (clock ticks since boot, /proc/<pid>/stat field 22): with
# the PID it names one process, so a PID reused by another process is never killed. $null for a
# zombie: an orphan whose new parent does not reap it is dead all the same.
function Get-ProcessStartTicks([int] $ProcessId) {
    try { $stat = [System.IO.File]::ReadAllText("/proc/$ProcessId/stat") } catch { return $null }
    $fields = $stat.Substring($stat.LastIndexOf(')') + 2).Split(' ')
    if ($fields[0] -in 'Z', 'X') { return $null }
    [long] $fields[19]
}

# Many ip commands in one process (a lab of 8 members needs about 30).
function Invoke-IpBatch([string[]] $Command) {
    $output = $Command | & ip -batch - 2>&1
    if ($LASTEXITCODE -ne 0) { throw "ip -batch failed: $output`nCommands:`n$($Command -join "`n")" }
}

# ed25519 key pairs without passphrase, made in parallel: @{ <private key path> = <comment> }.
# Files of an earlier lab in a reused folder are replaced.
function New-SshKeys([hashtable] $Key) {
    $running = foreach ($path in $Key.Keys) {
        Remove-Item -Force -LiteralPath $path, "$path.pub" -ErrorAction SilentlyContinue
        $start = [System.Diagnostics.ProcessStartInfo]::new('ssh-keygen')
        foreach ($argument in '-q', '-t', 'ed25519', '-N', '', '-C', $Key[$path], '-f', $path) { $start.ArgumentList.Add($argument) }
        $start.RedirectStandardError = $true
        $start.RedirectStandardOutput = $true
        [pscustomobject]@{ Path = $path; Process = [System.Diagnostics.Process]::Start($start) }
    }
    foreach ($item in $running) {
        $errors = $item.Process.StandardError.ReadToEnd()
        $item.Process.WaitForExit()
        if ($item.Process.ExitCode -ne 0) { throw "New-OcsPoolHosts: ssh-keygen could not make '$($item.Path)': $errors" }
    }
}

function Get-ProcessRecord([int] $ProcessId, [string] $Role) {
    [pscustomobject]@{ Id = $ProcessId; StartTicks = Get-ProcessStartTicks $ProcessId; Role = $Role }
}

function Test-ProcessRecordAlive($Record) {
    $Record -and $Record.StartTicks -and (Get-ProcessStartTicks $Record.Id) -eq $Record.StartTicks
}

# SIGKILL to every recorded process still alive (one kill for all), then waits until they are gone.
function Stop-ProcessRecord([object[]] $Record) {
    $alive = @($Record | Where-Object { Test-ProcessRecordAlive $_ })
    if (-not $alive) { return }
    & kill -KILL @($alive.Id) 2>$null
    foreach ($attempt in 1..250) {
        $alive = @($alive | Where-Object { Test-ProcessRecordAlive $_ })
        if (-not $alive) { return }
        Start-Sleep -Milliseconds 20
    }
}

# The outer PID of the child that `unshare --fork` started (sshd, PID 1 of the member's
# PID namespace).
function Get-ChildProcessId([int] $ProcessId) {
    foreach ($attempt in 1..200) {
        $children = Get-Content -Raw "/proc/$ProcessId/task/$ProcessId/children" -ErrorAction SilentlyContinue
        if ($children -and $children.Trim()) { return [int] ($children.Trim() -split ' ')[0] }
        if (-not (Get-ProcessStartTicks $ProcessId)) { return $null }
        Start-Sleep -Milliseconds 10
    }
    $null
}

function Save-LabState($Lab) {
    $state = [ordered]@{
        Id         = $Lab.Id
        Owner      = $Lab.Owner
        Bridge     = $Lab.Bridge
        Namespaces = @($Lab.Members | ForEach-Object Namespace)
        Links      = @($Lab.Members | ForEach-Object HostLink)
        Processes  = @($Lab.Processes) + @($Lab.Members | ForEach-Object { $_.Processes })
    }
    $state | ConvertTo-Json -Depth 5 | Set-Content -LiteralPath (Join-Path $Lab.Folder 'lab.json')
}

function Test-OcsPoolHostSupport {
    <#
    .SYNOPSIS
    $null when this machine can make the pool lab; else one line saying why not.
    #>
    if ($script:Supported) { return $null }
    if (-not $IsLinux) { return 'The pool lab needs Linux network namespaces; this is not Linux.' }
    if (-not [System.Environment]::IsPrivilegedProcess) { return 'The pool lab needs root (network namespaces, a bridge, sshd); this process is not root.' }
    $caps = (Get-Content /proc/self/status | Where-Object { $_ -like 'CapEff:*' }) -replace '^CapEff:\s*', ''
    $effective = [Convert]::ToUInt64($caps, 16)
    if (-not ($effective -band (1 -shl 12)) -or -not ($effective -band (1 -shl 21))) {
        return 'The pool lab needs CAP_NET_ADMIN and CAP_SYS_ADMIN; this process lacks them (an unprivileged container?).'
    }
    foreach ($tool in 'ip', 'unshare', 'ssh', 'ssh-keygen', 'pebble', 'pebble-challtestsrv') {
        if (-not (Get-Command $tool -CommandType Application -ErrorAction SilentlyContinue)) { return "The pool lab needs '$tool', which is not on PATH." }
    }
    if (-not (Test-Path /usr/sbin/sshd)) { return 'The pool lab needs /usr/sbin/sshd (Debian package openssh-server).' }
    $null = & ip netns list 2>&1
    if ($LASTEXITCODE -ne 0) { return "'ip netns' does not work here." }
    # Everything a member gets, tried in a throwaway set of namespaces.
    $probe = & unshare --net --uts --mount --pid --fork --mount-proc sh -c 'ip link add ocsp-probe type bridge && ip link add ocsp-p0 type veth peer name ocsp-p1 && hostname probe.test && echo ok' 2>&1
    if ($LASTEXITCODE -ne 0 -or "$probe" -notmatch 'ok') { return "This machine cannot make network, UTS, mount and PID namespaces with a bridge and veth links: $probe" }
    $script:Supported = $true
    $null
}

function Get-PwshPath {
    foreach ($candidate in @($env:OCSCERT_PWSH, (Join-Path $script:RepoRoot '.tools/pwsh/pwsh'), (Get-Command pwsh -CommandType Application -ErrorAction SilentlyContinue).Source)) {
        if ($candidate -and (Test-Path -LiteralPath $candidate)) { return (Resolve-Path -LiteralPath $candidate).Path }
    }
    throw 'New-OcsPoolHosts: no pwsh found for the members'' PowerShell subsystem: pass -PwshPath, set OCSCERT_PWSH, or run ./build.ps1 once (it puts pwsh in .tools/pwsh).'
}

# The admin side's names: the private /etc/hosts that tests/pool/with-own-hosts.sh made.
function Get-AdminHostsFile {
    $file = $env:OCSCERT_POOL_HOSTS_FILE
    $how = 'Run the admin process through tests/pool/with-own-hosts.sh (e.g. tests/pool/with-own-hosts.sh pwsh -File test.ps1): it gives the process a private copy of /etc/hosts, so member names resolve without touching the machine''s /etc/hosts.'
    if (-not $file) { throw "New-OcsPoolHosts: OCSCERT_POOL_HOSTS_FILE is not set. $how" }
    if (-not (Test-Path -LiteralPath $file -PathType Leaf)) { throw "New-OcsPoolHosts: OCSCERT_POOL_HOSTS_FILE '$file' does not exist. $how" }
    # Written only when it is what this process sees as /etc/hosts, through a bind mount of
    # its own: never the machine's file.
    $mounted = Get-Content /proc/self/mountinfo | Where-Object { ($_ -split ' ')[4] -eq '/etc/hosts' }
    $same = (& stat -L -c '%d:%i' $file) -eq (& stat -L -c '%d:%i' /etc/hosts)
    if ((Resolve-Path -LiteralPath $file).Path -eq '/etc/hosts' -or -not $mounted -or -not $same) {
        throw "New-OcsPoolHosts: OCSCERT_POOL_HOSTS_FILE '$file' is not a private copy mounted over /etc/hosts. $how"
    }
    $file
}

# Writes the lab's names: the lab's hosts file (every member's /etc/hosts) and the lab's block
# in the admin's private /etc/hosts. Both are rewritten in place: a bind mount pins the inode.
function Write-LabHosts($Lab) {
    $lines = [System.Collections.Generic.List[string]]::new()
    foreach ($name in $Lab.Names.Keys) {
        foreach ($address in $Lab.Names[$name]) { $lines.Add("$address`t$name") }
    }
    $memberText = @('# The pool lab''s names (New-OcsPoolHosts); every member sees this file as /etc/hosts.',
        "127.0.0.1`tlocalhost", "::1`tlocalhost ip6-localhost ip6-loopback") + $lines
    [System.IO.File]::WriteAllText($Lab.HostsFile, ($memberText -join "`n") + "`n")
    if ($Lab.AdminHostsFile) { Set-HostsBlock -File $Lab.AdminHostsFile -Id $Lab.Id -Line $(if (-not $Lab.Removed) { $lines }) }
}

# Replaces (or with no -Line, removes) a lab's block of lines in a hosts file, in place.
function Set-HostsBlock([string] $File, [string] $Id, [string[]] $Line) {
    $begin = "# ocscert-poolhosts $Id begin"
    $end = "# ocscert-poolhosts $Id end"
    $kept = [System.Collections.Generic.List[string]]::new()
    $inside = $false
    foreach ($item in [System.IO.File]::ReadAllLines($File)) {
        if ($item -eq $begin) { $inside = $true; continue }
        if ($item -eq $end) { $inside = $false; continue }
        if (-not $inside) { $kept.Add($item) }
    }
    if ($Line) { $kept.Add($begin); $kept.AddRange($Line); $kept.Add($end) }
    [System.IO.File]::WriteAllText($File, ($kept -join "`n") + "`n")
}

# Removes what labs of earlier runs left when their owner was killed before Remove-OcsPoolHosts.
function Remove-StaleLabs([string] $AdminHostsFile) {
    # (stderr dropped: ip complains about veth peers in namespaces that another mount namespace named.)
    foreach ($line in (& ip -o link show type bridge 2>$null)) {
        if ($line -notmatch '^\d+: (ocspb[0-9a-f]{6})[:@]') { continue }
        $bridge = $Matches[1]
        $alias = (Get-Content -Raw "/sys/class/net/$bridge/ifalias" -ErrorAction SilentlyContinue)
        if (-not $alias -or $alias -notmatch "^$script:AliasPrefix owner=(\d+):(\d+) folder=(.*)$") { continue }
        $owner = [pscustomobject]@{ Id = [int] $Matches[1]; StartTicks = [long] $Matches[2] }
        $folder = $Matches[3].Trim()
        if (Test-ProcessRecordAlive $owner) { continue }
        Write-Verbose "Removing the pool lab $bridge of a process that is gone ($($owner.Id)), folder $folder."
        Remove-LabResources -Id $bridge.Substring(5) -Folder $folder
        # Its names, when it ran in this same admin mount namespace.
        if ($AdminHostsFile) { Set-HostsBlock -File $AdminHostsFile -Id $bridge.Substring(5) }
    }
}

function Remove-LabResources([string] $Id, [string] $Folder, $Lab) {
    $processes = @()
    if ($Lab) { $processes = @($Lab.Members | ForEach-Object { $_.Processes }) + @($Lab.Processes) }
    elseif ($Folder -and (Test-Path -LiteralPath (Join-Path $Folder 'lab.json'))) {
        $processes = @((Get-Content -Raw -LiteralPath (Join-Path $Folder 'lab.json') | ConvertFrom-Json).Processes)
    }
    Stop-ProcessRecord $processes
    if ($Folder) {
        # Anything of the lab not recorded (a member's sshd forked just as its unshare was killed,
        # or the owner killed before it wrote lab.json): its command line or working folder is in
        # the lab's folder.
        $strays = @()
        foreach ($directory in [System.IO.Directory]::GetDirectories('/proc')) {
            $processId = 0
            if (-not [int]::TryParse([System.IO.Path]::GetFileName($directory), [ref] $processId) -or $processId -eq $PID) { continue }
            # Only programs the lab runs: an editor or `tail -f` on a file of the lab is not the lab's.
            try { $program = [System.IO.File]::ReadAllText("$directory/comm").Trim() } catch { continue }
            if ($program -notin $script:LabPrograms) { continue }
            try { $commandLine = [System.IO.File]::ReadAllText("$directory/cmdline") } catch { continue }
            # The CA's processes are told by their working folder (pebble-challtestsrv's command line names none).
            $workingFolder = try { [System.IO.Directory]::ResolveLinkTarget("$directory/cwd", $false).FullName } catch { '' }
            if ($commandLine.Replace([char] 0, ' ').Contains("$Folder/") -or "$workingFolder/".StartsWith("$Folder/")) {
                $strays += Get-ProcessRecord $processId 'stray'
            }
        }
        Stop-ProcessRecord $strays
    }
    # Namespaces first: with their processes gone that frees them and their veth pairs.
    $commands = @(
        foreach ($namespace in (& ip netns list 2>$null)) {
            $name = ($namespace -split ' ')[0]
            if ($name -like "ocsp-$Id-*") { "netns del $name" }
        })
    if ($commands) { $null = $commands | & ip -force -batch - 2>&1 }
    $commands = @(
        foreach ($line in (& ip -o link show 2>$null)) {
            if ($line -match "^\d+: (ocsp(b)?$Id[^:@]*)[:@]") { "link del $($Matches[1])" }
        })
    if ($commands) { $null = $commands | & ip -force -batch - 2>&1 }
}

function New-OcsPoolHosts {
    <#
    .SYNOPSIS
    Starts a lab of pool members: a bridge, one network namespace per member with its own sshd
    (PowerShell subsystem), host name, store and /etc/hosts, and the embedded Pebble on the bridge.

    .DESCRIPTION
    Members get addresses .11, .12, ... of a /24 of their own (the bridge is .1, AdminAddress),
    port 22, user root and the lab's throwaway ed25519 key (KeyFilePath). Each member's session
    environment has OCSCERT_STORE=<Folder>/<member>/store, XDG_DATA_HOME, XDG_CONFIG_HOME and
    XDG_CACHE_HOME under <Folder>/<member> (so a module copied into the member's user module path
    is that member's only), and PSModulePath with this repository's built module unless the member
    is in -WithoutModule. In its own mount namespace each member sees the lab's hosts file as
    /etc/hosts, its own <Folder>/<member>/cron.d as /etc/cron.d (and systemd-system as
    /etc/systemd/system), and a private /run; its processes live in a PID namespace of their own, so
    killing its sshd ends every remote pwsh it started.

    The admin process must run under tests/pool/with-own-hosts.sh: the lab adds its names to the
    private /etc/hosts that it made (OCSCERT_POOL_HOSTS_FILE).

    .EXAMPLE
    # tests/pool/with-own-hosts.sh pwsh   (then, in that pwsh:)
    $lab = New-OcsPoolHosts -Folder /tmp/lab -Member fe01, fe02, fe03 -WithoutModule fe03
    Set-OcsPoolHostsName -Lab $lab -Name pool01.contoso.test -Address $lab.Members[0].Address
    $sessions = New-PSSession -HostName $lab.Members.Fqdn -UserName $lab.UserName -KeyFilePath $lab.KeyFilePath `
        -Options @{ StrictHostKeyChecking = 'no'; UserKnownHostsFile = '/dev/null'; LogLevel = 'ERROR' }
    Invoke-Command $sessions { New-OcsCertificateRequest ... -CA $using:lab.Ca.CA -CaBundle $using:lab.Ca.CaBundle -HttpListener 0.0.0.0:80 }
    Remove-OcsPoolHosts -Lab $lab
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string] $Folder,
        [Parameter(Mandatory)] [string[]] $Member,
        [string] $Domain = 'contoso.test',
        [string[]] $WithoutModule = @(),
        # Lifetime of the certificates the lab's Pebble issues (short ones show renewal for real).
        [int] $ValiditySeconds,
        # The pwsh the members' PowerShell subsystem runs; by default OCSCERT_PWSH or .tools/pwsh/pwsh.
        [string] $PwshPath,
        # Where the built module is (a folder holding OcsCertificate/); by default this repository's module/.
        [string] $ModuleRoot = (Join-Path $script:RepoRoot 'module')
    )
    $reason = Test-OcsPoolHostSupport
    if ($reason) { throw "New-OcsPoolHosts: $reason" }
    $caJob = $null
    $adminHosts = Get-AdminHostsFile
    $labels = '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$'
    $Member = @($Member | ForEach-Object { $_.ToLowerInvariant() })
    $WithoutModule = @($WithoutModule | ForEach-Object { $_.ToLowerInvariant() })
    $Domain = $Domain.TrimEnd('.').ToLowerInvariant()
    foreach ($name in $Member) {
        if ($name -notmatch $labels) { throw "New-OcsPoolHosts: -Member '$name' is not a host name label (letters, digits and '-', e.g. fe01)." }
    }
    if (@($Member | Sort-Object -Unique).Count -ne $Member.Count) { throw "New-OcsPoolHosts: -Member lists a name twice: $($Member -join ', ')." }
    if ($Member.Count -gt 200) { throw 'New-OcsPoolHosts: -Member takes at most 200 members.' }
    foreach ($name in $WithoutModule) {
        if ($name -notin $Member) { throw "New-OcsPoolHosts: -WithoutModule '$name' is not one of -Member ($($Member -join ', '))." }
    }
    if (($Domain -split '\.') | Where-Object { $_ -notmatch $labels }) { throw "New-OcsPoolHosts: -Domain '$Domain' is not a DNS name (e.g. contoso.test)." }
    $moduleManifest = Join-Path $ModuleRoot 'OcsCertificate/OcsCertificate.psd1'
    if (-not (Test-Path -LiteralPath $moduleManifest)) { throw "New-OcsPoolHosts: -ModuleRoot '$ModuleRoot' has no OcsCertificate/OcsCertificate.psd1; run ./build.ps1 build first." }
    if (-not $PwshPath) { $PwshPath = Get-PwshPath }
    $null = New-Item -ItemType Directory -Force $Folder
    $Folder = (Resolve-Path -LiteralPath $Folder).Path
    $ModuleRoot = (Resolve-Path -LiteralPath $ModuleRoot).Path
    $stateFile = Join-Path $Folder 'lab.json'
    if (Test-Path -LiteralPath $stateFile) {
        $previous = Get-Content -Raw -LiteralPath $stateFile | ConvertFrom-Json
        if ((Test-ProcessRecordAlive $previous.Owner) -and (Get-Content -Raw "/sys/class/net/$($previous.Bridge)/ifalias" -ErrorAction SilentlyContinue)) {
            throw "New-OcsPoolHosts: -Folder '$Folder' holds the running lab $($previous.Bridge); use a folder of its own."
        }
    }

    $started = [System.Diagnostics.Stopwatch]::StartNew()
    Remove-StaleLabs -AdminHostsFile $adminHosts
    Write-Verbose "New-OcsPoolHosts: earlier labs checked ($($started.ElapsedMilliseconds) ms)."
    # A fresh id and /24 (10.200-254.x.0) that no address of this machine is in.
    $used = (& ip -o -4 addr show 2>$null) + (& ip -4 route show 2>$null) -join "`n"
    do {
        $id = [guid]::NewGuid().ToString('n').Substring(0, 6)
        $subnet = "10.$(Get-Random -Minimum 200 -Maximum 255).$(Get-Random -Minimum 0 -Maximum 256)"
    } while ($used.Contains("$subnet.") -or (Test-Path "/sys/class/net/ocspb$id"))
    $owner = Get-ProcessRecord $PID 'owner'
    $lab = [pscustomobject]@{
        PSTypeName     = 'OcsCertificate.PoolHosts'
        Id             = $id
        Folder         = $Folder
        Domain         = $Domain
        Bridge         = "ocspb$id"
        Subnet         = "$subnet.0/24"
        AdminAddress   = "$subnet.1"
        HostsFile      = Join-Path $Folder 'hosts'
        AdminHostsFile = $adminHosts
        UserName       = 'root'
        KeyFilePath    = Join-Path $Folder 'id_ed25519'
        Ca             = $null
        Members        = @()
        Names          = [ordered]@{}
        Owner          = $owner
        Processes      = @()
        Removed        = $false
        SetupSeconds   = $null
    }
    try {
        # The bridge first: its alias is what lets a later lab sweep this one if its owner is killed.
        Invoke-IpBatch @(
            "link add $($lab.Bridge) type bridge"
            "link set $($lab.Bridge) alias `"$script:AliasPrefix owner=$($owner.Id):$($owner.StartTicks) folder=$Folder`""
            "addr add $($lab.AdminAddress)/24 dev $($lab.Bridge)"
            "link set $($lab.Bridge) up")
        Save-LabState $lab
        # The CA starts on the bridge's address in a thread of its own while the members boot.
        $caArguments = @{ Folder = Join-Path $Folder 'ca'; ListenAddress = $lab.AdminAddress; HttpPort = 80; DefaultIPv4 = ''; ValiditySeconds = $ValiditySeconds }
        $caModule = Join-Path $PSScriptRoot 'EmbeddedCa.psm1'
        $caJob = Start-ThreadJob { $arguments = $using:caArguments; Import-Module $using:caModule; Start-OcsEmbeddedCa @arguments }

        Write-Verbose "New-OcsPoolHosts: bridge $($lab.Bridge) up ($($started.ElapsedMilliseconds) ms)."

        $index = 0
        $members = foreach ($name in $Member) {
            $index++
            $fqdn = "$name.$Domain"
            $memberFolder = Join-Path $Folder $name
            $null = New-Item -ItemType Directory -Force $memberFolder, (Join-Path $memberFolder 'store'), (Join-Path $memberFolder 'xdg-data/powershell/Modules'),
                (Join-Path $memberFolder 'xdg-config'), (Join-Path $memberFolder 'xdg-cache'), (Join-Path $memberFolder 'cron.d'), (Join-Path $memberFolder 'systemd-system')
            $lab.Names[$fqdn] = @("$subnet.$($index + 10)")
            [pscustomobject]@{
                PSTypeName      = 'OcsCertificate.PoolHost'
                Name            = $name
                Fqdn            = $fqdn
                Address         = "$subnet.$($index + 10)"
                Namespace       = "ocsp-$id-$name"
                HostLink        = "ocsp${id}h$index"
                SshPort         = 22
                Folder          = $memberFolder
                StorePath       = Join-Path $memberFolder 'store'
                UserModulePath  = Join-Path $memberFolder 'xdg-data/powershell/Modules'
                CronPath        = Join-Path $memberFolder 'cron.d'
                ModuleInstalled = $name -notin $WithoutModule
                Log             = Join-Path $memberFolder 'sshd.log'
                Processes       = @()
                Running         = $false
            }
        }
        # A list, not an array: on an array, .Address would be the array's own Address() method,
        # so $lab.Members.Address would not list the members' addresses.
        $lab.Members = [System.Collections.Generic.List[psobject]]::new([psobject[]] @($members))
        Save-LabState $lab
        Write-LabHosts $lab
        $authorizedKeys = Join-Path $Folder 'authorized_keys'
        $keys = @{ $lab.KeyFilePath = "ocscert-poolhosts-$id" }
        foreach ($m in $lab.Members) { $keys[(Join-Path $m.Folder 'ssh_host_ed25519_key')] = $m.Fqdn }
        New-SshKeys $keys
        Copy-Item -LiteralPath "$($lab.KeyFilePath).pub" $authorizedKeys

        # Each member's end of its link is configured by its own start script, inside its namespace.
        Invoke-IpBatch @(
            foreach ($m in $lab.Members) {
                "netns add $($m.Namespace)"
                "link add $($m.HostLink) type veth peer name eth0 netns $($m.Namespace)"
                "link set $($m.HostLink) master $($lab.Bridge) up"
            })

        $path = $env:PATH
        foreach ($m in $lab.Members) {
            $hostKey = Join-Path $m.Folder 'ssh_host_ed25519_key'
            # A home of the member's own, as a server has: the session's shell then reads no start-up
            # files of this machine's root (a slow or stuck ~/.bashrc would delay every session).
            $memberHome = Join-Path $m.Folder 'home'
            $null = New-Item -ItemType Directory -Force $memberHome
            $environment = [ordered]@{
                HOME            = $memberHome
                OCSCERT_STORE   = $m.StorePath
                XDG_DATA_HOME   = Join-Path $m.Folder 'xdg-data'
                XDG_CONFIG_HOME = Join-Path $m.Folder 'xdg-config'
                XDG_CACHE_HOME  = Join-Path $m.Folder 'xdg-cache'
                PATH            = $path
            }
            if ($m.ModuleInstalled) { $environment['PSModulePath'] = $ModuleRoot }
            if ($env:DOTNET_ROOT) { $environment['DOTNET_ROOT'] = $env:DOTNET_ROOT }
            $setEnv = ($environment.Keys | ForEach-Object { '"' + $_ + '=' + $environment[$_] + '"' }) -join ' '
            $config = @(
                "# sshd of pool lab member $($m.Fqdn) (New-OcsPoolHosts)"
                'Port 22'
                "HostKey $hostKey"
                'PidFile none'
                'UsePAM no'
                'StrictModes no'
                'PermitRootLogin prohibit-password'
                'PasswordAuthentication no'
                'KbdInteractiveAuthentication no'
                "AuthorizedKeysFile $authorizedKeys"
                'PrintMotd no'
                'PrintLastLog no'
                'UseDNS no'
                # Pool commands open many sessions at once.
                'MaxStartups 100'
                'MaxSessions 50'
                "SetEnv $setEnv"
                "Subsystem powershell $PwshPath -sshs -NoLogo"
            )
            $configFile = Join-Path $m.Folder 'sshd_config'
            Set-Content -LiteralPath $configFile -Value $config
            # Host name, mounts and PID namespace of the member's own; sshd is PID 1 there, so when
            # it dies the kernel ends every process of the member (remote pwsh included).
            $quote = { param($text) "'" + $text.Replace("'", "'\''") + "'" }
            $script = @(
                'set -e'
                "ip addr replace $($m.Address)/24 dev eth0"
                'ip link set eth0 up'
                'ip link set lo up'
                "hostname $(& $quote $m.Fqdn)"
                "mount --bind $(& $quote $lab.HostsFile) /etc/hosts"
                'if [ -d /etc/cron.d ]; then mount --bind ' + (& $quote $m.CronPath) + ' /etc/cron.d; fi'
                'if [ -d /etc/systemd/system ]; then mount --bind ' + (& $quote (Join-Path $m.Folder 'systemd-system')) + ' /etc/systemd/system; fi'
                # sshd needs /run/sshd; a /run of the member's own creates nothing on the machine.
                'mount -t tmpfs -o mode=0755 ocsp-run /run'
                'mkdir -p /run/sshd'
                "exec /usr/sbin/sshd -D -e -f $(& $quote $configFile)"
            )
            Set-Content -LiteralPath (Join-Path $m.Folder 'start.sh') -Value $script
            Start-LabMember $m
        }
        Save-LabState $lab

        Write-Verbose "New-OcsPoolHosts: members started ($($started.ElapsedMilliseconds) ms)."
        $lab.Ca = Receive-Job $caJob -Wait -ErrorAction Stop
        Remove-Job $caJob
        $caJob = $null
        $lab.Processes = @($lab.Ca.Processes | ForEach-Object { Get-ProcessRecord $_.Id 'ca' })
        Save-LabState $lab
        foreach ($name in $lab.Names.Keys) { Set-OcsEmbeddedCaRecord -Ca $lab.Ca -Name $name -Address $lab.Names[$name] }

        Write-Verbose "New-OcsPoolHosts: CA ready ($($started.ElapsedMilliseconds) ms)."
        # The members booted while the CA started. Their sshd (PID 1 of each member) is recorded
        # too; then they are ready when every sshd answers on port 22.
        foreach ($m in $lab.Members) { Add-MemberSshdRecord $m }
        Save-LabState $lab
        foreach ($m in $lab.Members) { Wait-MemberSsh $m }
        $lab.SetupSeconds = [math]::Round($started.Elapsed.TotalSeconds, 2)
        $lab
    }
    catch {
        $failure = $_
        if ($caJob) {
            $lab.Ca = Receive-Job $caJob -Wait -ErrorAction SilentlyContinue
            Remove-Job $caJob -Force
        }
        try { Remove-OcsPoolHosts -Lab $lab } catch { Write-Warning "New-OcsPoolHosts: cleaning up after a failure: $_" }
        throw $failure
    }
}

# Starts a member's start.sh in its network namespace, in UTS, mount and PID namespaces of its own.
function Start-LabMember($Member) {
    $log = $Member.Log
    $process = Start-Process ip -PassThru -RedirectStandardOutput "$log.out" -RedirectStandardError $log -ArgumentList (
        "netns exec $($Member.Namespace) unshare --uts --mount --pid --fork --kill-child --mount-proc sh `"$(Join-Path $Member.Folder 'start.sh')`"")
    $Member.Processes = @(Get-ProcessRecord $process.Id 'unshare')
    $Member.Running = $true
}

# Records the member's sshd (the child of unshare, PID 1 of the member's PID namespace).
function Add-MemberSshdRecord($Member) {
    $child = Get-ChildProcessId $Member.Processes[0].Id
    if ($child) { $Member.Processes += Get-ProcessRecord $child 'sshd' }
}

function Wait-MemberSsh($Member) {
    foreach ($attempt in 1..300) {
        $client = [System.Net.Sockets.TcpClient]::new()
        try {
            if ($client.ConnectAsync($Member.Address, $Member.SshPort).Wait(200)) { return }
        }
        catch { Start-Sleep -Milliseconds 20 }
        finally { $client.Dispose() }
        if (-not (Test-ProcessRecordAlive $Member.Processes[0])) { break }
    }
    throw "The sshd of pool lab member $($Member.Fqdn) did not start: $(Get-Content -Raw -LiteralPath $Member.Log -ErrorAction SilentlyContinue)"
}

function Set-OcsPoolHostsName {
    <#
    .SYNOPSIS
    Makes a name (e.g. the pool FQDN) resolve to these addresses: for Pebble's checks, on every
    member and on the admin side. No -Address: the name is removed.
    #>
    param(
        [Parameter(Mandatory)] $Lab,
        [Parameter(Mandatory)] [string] $Name,
        [string[]] $Address = @()
    )
    $Name = $Name.TrimEnd('.').ToLowerInvariant()
    if ($Name -notmatch '^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$') {
        throw "Set-OcsPoolHostsName: -Name '$Name' is not a DNS name (e.g. pool01.contoso.test)."
    }
    foreach ($item in $Address) {
        $parsed = $null
        if (-not [ipaddress]::TryParse($item, [ref] $parsed) -or $parsed.AddressFamily -ne 'InterNetwork') {
            throw "Set-OcsPoolHostsName: -Address '$item' is not an IPv4 address (e.g. $($Lab.Members[0].Address))."
        }
    }
    if ($Address.Count) { $Lab.Names[$Name] = @($Address) } else { $Lab.Names.Remove($Name) }
    Write-LabHosts $Lab
    Set-OcsEmbeddedCaRecord -Ca $Lab.Ca -Name $Name -Address $Address
}

function Stop-OcsPoolHost {
    <#
    .SYNOPSIS
    Takes one member down: its sshd and every process of it end, and its address stops answering.
    #>
    param(
        [Parameter(Mandatory)] $Lab,
        [Parameter(Mandatory)] [string] $Member
    )
    $m = $Lab.Members | Where-Object { $_.Name -eq $Member -or $_.Fqdn -eq $Member }
    if (-not $m) { throw "Stop-OcsPoolHost: -Member '$Member' is not in the lab ($($Lab.Members.Name -join ', '))." }
    Stop-ProcessRecord $m.Processes
    # Like a machine switched off: its link goes down, so connections time out instead of being refused.
    $null = & ip link set $m.HostLink down 2>&1
    $m.Running = $false
}

function Start-OcsPoolHost {
    <#
    .SYNOPSIS
    Brings a member that Stop-OcsPoolHost took down back: its link up, its sshd started again
    (same host key, store and names); returns when it answers on port 22.
    #>
    param(
        [Parameter(Mandatory)] $Lab,
        [Parameter(Mandatory)] [string] $Member
    )
    $m = $Lab.Members | Where-Object { $_.Name -eq $Member -or $_.Fqdn -eq $Member }
    if (-not $m) { throw "Start-OcsPoolHost: -Member '$Member' is not in the lab ($($Lab.Members.Name -join ', '))." }
    if ($Lab.Removed) { throw 'Start-OcsPoolHost: the lab was removed.' }
    if ($m.Running -and (Test-ProcessRecordAlive $m.Processes[0])) { return }
    Invoke-Ip link set $m.HostLink up
    Start-LabMember $m
    Add-MemberSshdRecord $m
    Save-LabState $Lab
    Wait-MemberSsh $m
}

function Remove-OcsPoolHosts {
    <#
    .SYNOPSIS
    Ends every process the lab started and deletes its namespaces and links; also after a
    New-OcsPoolHosts that failed half-way. The lab's folder is left to its caller.
    #>
    param([Parameter(Mandatory)] $Lab)
    Stop-ProcessRecord @($Lab.Members | ForEach-Object { $_.Processes })
    foreach ($m in $Lab.Members) { $m.Running = $false }
    if ($Lab.Ca) { Stop-OcsEmbeddedCa $Lab.Ca }
    Remove-LabResources -Id $Lab.Id -Folder $Lab.Folder -Lab $Lab
    $Lab.Removed = $true
    if ($Lab.AdminHostsFile -and (Test-Path -LiteralPath $Lab.AdminHostsFile)) { Write-LabHosts $Lab }
}

Export-ModuleMember -Function Test-OcsPoolHostSupport, New-OcsPoolHosts, Set-OcsPoolHostsName, Stop-OcsPoolHost, Start-OcsPoolHost, Remove-OcsPoolHosts
