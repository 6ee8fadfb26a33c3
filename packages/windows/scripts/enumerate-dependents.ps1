# rotor-operation: enumerate-dependents
<#
.SYNOPSIS
    Lists the services, scheduled tasks and IIS application pools of this
    host with the account each runs as, and the host's own names.
.DESCRIPTION
    Read-only. Input: {"kinds":["service","task","iis"]}. Every item of the
    asked kinds is listed: rotor decides in TypeScript which ones run as the
    rotated account. App pools are read attribute by attribute
    (processModel.identityType, processModel.userName): the processModel
    element as a whole holds the stored password and is never serialised.
    IIS that is not installed is reported as IisInstalled = false; IIS that
    is installed but cannot be managed from this shell is an error.
    Also reports whether the host refuses to store task passwords
    (TaskPasswordsBlocked, from Lsa\DisableDomainCreds) and the account of
    an IIS shared configuration (IisSharedConfig, from redirection.config,
    without its password); pools that cannot be read while a shared
    configuration is on are SharedConfigUnreadable.
#>
param([string]$InputJson)
. (Join-Path $PSScriptRoot '_prelude.ps1') # rotor-prelude

function Get-DomainNetbiosName {
    # The machine account's own name, looked up through its SID, carries
    # the domain's NetBIOS name (CONTOSO\HOST01$).
    param([string]$DnsName)
    try {
        $machine = New-Object System.Security.Principal.NTAccount($DnsName, ($env:COMPUTERNAME + '$'))
        $sid = $machine.Translate([System.Security.Principal.SecurityIdentifier])
        return $sid.Translate([System.Security.Principal.NTAccount]).Value.Split('\')[0]
    } catch {
        $domain = @(Get-CimInstance -ClassName Win32_NTDomain | Where-Object { $_.DomainName -and $_.DnsForestName }) | Select-Object -First 1
        if ($null -ne $domain) { return [string]$domain.DomainName }
        return $null
    }
}

function Resolve-AccountName {
    # Task principals may be stored as a SID or a bare name; both are turned
    # into DOMAIN\name so that the account can be matched.
    param([string]$Name)
    if ([string]::IsNullOrEmpty($Name)) { return $null }
    if ($Name.Contains('\') -or $Name.Contains('@')) { return $Name }
    try {
        if ($Name -match '^S-1-') {
            $sid = New-Object System.Security.Principal.SecurityIdentifier($Name)
        } else {
            $sid = (New-Object System.Security.Principal.NTAccount($Name)).Translate([System.Security.Principal.SecurityIdentifier])
        }
        return $sid.Translate([System.Security.Principal.NTAccount]).Value
    } catch {
        return $Name
    }
}

function Get-DelayedAutoStart {
    # Win32_Service has DelayedAutoStart only on recent Windows; older hosts
    # keep it in the service's registry key.
    param($Service)
    $property = $Service.CimInstanceProperties['DelayedAutoStart']
    if ($null -ne $property -and $null -ne $property.Value) { return [bool]$property.Value }
    if ([string]$Service.StartMode -ne 'Auto') { return $false }
    $key = 'HKLM:\SYSTEM\CurrentControlSet\Services\' + $Service.Name
    $item = Get-ItemProperty -LiteralPath $key -Name 'DelayedAutostart' -ErrorAction SilentlyContinue
    return ($null -ne $item -and $item.DelayedAutostart -eq 1)
}

function Get-DependentRows {
    # Every service that depends on $Name, directly or not, with its state:
    # these are what a stop of $Name stops too.
    param([string]$Name, $Children, $ByName)
    $seen = @{}
    $queue = New-Object System.Collections.Queue
    $queue.Enqueue($Name)
    while ($queue.Count -gt 0) {
        $current = $queue.Dequeue()
        if (-not $Children.ContainsKey($current)) { continue }
        foreach ($child in $Children[$current]) {
            if ($seen.ContainsKey($child) -or -not $ByName.ContainsKey($child)) { continue }
            $seen[$child] = $true
            $queue.Enqueue($child)
            [pscustomobject]@{ Name = $child; State = [string]$ByName[$child].State }
        }
    }
}

function Get-ServiceRows {
    $all = @(Get-CimInstance -ClassName Win32_Service)
    $byName = @{}
    foreach ($service in $all) { $byName[[string]$service.Name] = $service }
    $children = @{}
    foreach ($link in @(Get-CimInstance -ClassName Win32_DependentService)) {
        $parent = [string]$link.Antecedent.Name
        if (-not $children.ContainsKey($parent)) {
            $children[$parent] = New-Object System.Collections.ArrayList
        }
        [void]$children[$parent].Add([string]$link.Dependent.Name)
    }
    foreach ($service in $all) {
        [pscustomobject]@{
            Name = [string]$service.Name
            DisplayName = $service.DisplayName
            State = [string]$service.State
            StartMode = [string]$service.StartMode
            DelayedAutoStart = (Get-DelayedAutoStart $service)
            StartName = $service.StartName
            DependentServices = @(Get-DependentRows ([string]$service.Name) $children $byName)
        }
    }
}

function Get-TaskRows {
    foreach ($task in @(Get-ScheduledTask)) {
        [pscustomobject]@{
            TaskPath = [string]$task.TaskPath
            TaskName = [string]$task.TaskName
            UserId = (Resolve-AccountName ([string]$task.Principal.UserId))
            LogonType = [string]$task.Principal.LogonType
            State = [string]$task.State
        }
    }
}

function Get-AttributeText {
    # Get-ItemProperty on the IIS provider gives a string or a
    # ConfigurationAttribute whose Value is the string.
    param($Item)
    if ($null -eq $Item) { return $null }
    if ($Item -is [string]) { return $Item }
    if ($null -ne $Item.Value) { return [string]$Item.Value }
    return [string]$Item
}

function Get-AppPoolRows {
    Import-RotorWebAdministration
    foreach ($name in @(Get-ChildItem -Path 'IIS:\AppPools' | ForEach-Object { [string]$_.Name })) {
        # Pool names may hold [ ]: the provider path is escaped, not literal.
        $path = 'IIS:\AppPools\' + [System.Management.Automation.WildcardPattern]::Escape($name)
        $state = 'Unknown'
        try {
            $state = [string](Get-WebAppPoolState -Name $name).Value
        } catch {
            $state = 'Unknown'
        }
        [pscustomobject]@{
            Name = $name
            IdentityType = (Get-AttributeText (Get-ItemProperty -Path $path -Name 'processModel.identityType'))
            UserName = (Get-AttributeText (Get-ItemProperty -Path $path -Name 'processModel.userName'))
            State = $state
        }
    }
}

Assert-RotorAdministrator
function Test-TaskPasswordsBlocked {
    # "Network access: Do not allow storage of passwords and credentials for
    # network authentication": task registration with a password then fails
    # with 0x80070520.
    $lsa = Get-ItemProperty -LiteralPath 'HKLM:\SYSTEM\CurrentControlSet\Control\Lsa' -Name 'DisableDomainCreds' -ErrorAction SilentlyContinue
    return ($null -ne $lsa -and $lsa.DisableDomainCreds -eq 1)
}

function Get-SharedConfiguration {
    # IIS shared configuration: the account that reads the shared
    # applicationHost.config. Only the path and user name are read, never
    # the password attribute.
    $file = Join-Path $env:windir 'System32\inetsrv\config\redirection.config'
    if (-not (Test-Path -LiteralPath $file)) { return $null }
    $document = New-Object System.Xml.XmlDocument
    $document.Load($file)
    $node = $document.SelectSingleNode('/configuration/configurationRedirection')
    if ($null -eq $node -or $node.GetAttribute('enabled') -ne 'true') { return $null }
    return [ordered]@{ Path = $node.GetAttribute('path'); UserName = $node.GetAttribute('userName') }
}

$request = Read-RotorInput $InputJson
$kinds = @($request.kinds)
Start-RotorChange

try {
    $system = Get-CimInstance -ClassName Win32_ComputerSystem
    $result = [ordered]@{
        ComputerName = [string]$env:COMPUTERNAME
        DomainNetbios = $null
        DomainDns = $null
        IisInstalled = [bool](Test-RotorIisInstalled)
        Services = @()
        Tasks = @()
        AppPools = @()
        TaskPasswordsBlocked = [bool](Test-TaskPasswordsBlocked)
        IisSharedConfig = $null
    }
    if ($system.PartOfDomain) {
        $result.DomainDns = [string]$system.Domain
        $result.DomainNetbios = Get-DomainNetbiosName ([string]$system.Domain)
    }
    if ($kinds -contains 'service') { $result.Services = @(Get-ServiceRows) }
    if ($kinds -contains 'task') { $result.Tasks = @(Get-TaskRows) }
    if ($kinds -contains 'iis' -and $result.IisInstalled) {
        # redirection.config is local and readable even when the share is
        # not: read it first, so that pools that cannot be read are named
        # as a shared configuration problem, not as IIS being absent (W31).
        $result.IisSharedConfig = Get-SharedConfiguration
        try {
            $result.AppPools = @(Get-AppPoolRows)
        } catch {
            if ($null -eq $result.IisSharedConfig) { throw }
            Exit-RotorError -Code (Get-RotorErrorCode $_.Exception) -Name 'SharedConfigUnreadable' -Message ('the IIS shared configuration at ' + $result.IisSharedConfig.Path + ' (read as ' + $result.IisSharedConfig.UserName + ') cannot be read: ' + $_.Exception.Message)
        }
    }
} catch {
    Exit-RotorException $_ 'enumerating dependents'
}

Exit-RotorOk $result
