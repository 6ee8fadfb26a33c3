# rotor-operation: set-apppool-credential
<#
.SYNOPSIS
    Writes the password of an IIS application pool's SpecificUser identity.
.DESCRIPTION
    Input: {"name":"AppPool","account":"CONTOSO\\svc-app","password":"...",
    "jobId":"..."} (jobId optional).
    Uses Microsoft.Web.Administration.ServerManager (the library under the
    WebAdministration module): ApplicationPools[name].ProcessModel gets
    UserName and Password as object properties and CommitChanges writes
    applicationHost.config, so the password is never a cmdlet parameter
    that module logging would record. Only SpecificUser pools are written;
    the pool is not recycled here (see recycle-apppool).
#>
param([string]$InputJson)
. (Join-Path $PSScriptRoot '_prelude.ps1') # rotor-prelude

Assert-RotorAdministrator
$request = Read-RotorInput $InputJson
$name = [string]$request.name
$account = [string]$request.account
$password = [string]$request.password
Protect-RotorSecret $password
Assert-RotorPasswordAccount $account

if (-not (Test-RotorIisInstalled)) {
    Exit-RotorError -Code -1 -Name 'IisNotInstalled' -Message 'IIS is not installed on this host'
}

$manager = $null
try {
    try {
        Add-Type -Path (Join-Path $env:windir 'System32\inetsrv\Microsoft.Web.Administration.dll')
    } catch {
        $shell = 'PowerShell ' + $PSVersionTable.PSVersion + ' ' + $PSVersionTable.PSEdition
        Exit-RotorError -Code -1 -Name 'IisModuleUnavailable' -Message ('Microsoft.Web.Administration did not load in ' + $shell + ': ' + $_.Exception.Message)
    }
    $manager = New-Object Microsoft.Web.Administration.ServerManager
    $pool = $manager.ApplicationPools[$name]
    if ($null -eq $pool) {
        Exit-RotorError -Code -1 -Name 'AppPoolNotFound' -Message ('application pool ' + $name + ' does not exist')
    }
    $model = $pool.ProcessModel
    if ([string]$model.IdentityType -ne 'SpecificUser') {
        Exit-RotorError -Code -1 -Name 'NotSpecificUser' -Message ('application pool ' + $name + ' runs as ' + $model.IdentityType + ', which holds no password')
    }
    if (-not (Test-RotorSameAccount ([string]$model.UserName) $account)) {
        Exit-RotorError -Code -1 -Name 'AccountChanged' -Message ('application pool ' + $name + ' no longer runs as ' + $account + '; nothing was written')
    }
    Start-RotorChange ('set the password of application pool ' + $name + ' (account ' + $account + ')')
    $model.UserName = $account
    $model.Password = $password
    $manager.CommitChanges()
} catch {
    Exit-RotorException $_ ('writing the identity of application pool ' + $name)
} finally {
    if ($null -ne $manager) { $manager.Dispose() }
}

Exit-RotorOk ([ordered]@{ Name = $name })
