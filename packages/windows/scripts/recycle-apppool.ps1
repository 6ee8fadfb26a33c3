# rotor-operation: recycle-apppool
<#
.SYNOPSIS
    Recycles an IIS application pool if, and only if, it is started.
.DESCRIPTION
    Input: {"name":"AppPool","jobId":"..."} (jobId optional). Uses the WebAdministration module:
    Get-WebAppPoolState, and Restart-WebAppPool for a started pool. A pool
    that is Starting or Stopping is waited for (at most 30 s); a stopped
    pool is left alone and reported with Recycled = false.
#>
param([string]$InputJson)
. (Join-Path $PSScriptRoot '_prelude.ps1') # rotor-prelude

Assert-RotorAdministrator
$request = Read-RotorInput $InputJson
$name = [string]$request.name
Assert-RotorPlainName $name 'the application pool name'

if (-not (Test-RotorIisInstalled)) {
    Exit-RotorError -Code -1 -Name 'IisNotInstalled' -Message 'IIS is not installed on this host'
}
Import-RotorWebAdministration

try {
    if (-not (Test-Path -Path ('IIS:\AppPools\' + $name))) {
        Exit-RotorError -Code -1 -Name 'AppPoolNotFound' -Message ('application pool ' + $name + ' does not exist')
    }
    $deadline = (Get-Date).AddSeconds(30)
    $state = [string](Get-WebAppPoolState -Name $name).Value
    while (($state -eq 'Starting' -or $state -eq 'Stopping') -and (Get-Date) -lt $deadline) {
        Start-Sleep -Milliseconds 500
        $state = [string](Get-WebAppPoolState -Name $name).Value
    }
    $recycled = $false
    if ($state -eq 'Started') {
        Start-RotorChange ('recycle application pool ' + $name)
        Restart-WebAppPool -Name $name
        $recycled = $true
    }
} catch {
    Exit-RotorException $_ ('recycling application pool ' + $name)
}

Exit-RotorOk ([ordered]@{ Recycled = $recycled })
