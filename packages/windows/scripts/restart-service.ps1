# rotor-operation: restart-service
<#
.SYNOPSIS
    Restarts a running service so that it logs on with its new password.
.DESCRIPTION
    Input: {"name":"AppSvc","timeoutSeconds":60,"jobId":"..."} (jobId
    optional, for the event log entry). Stops the service's running
    dependent services, stops the service, starts it, and starts those
    dependents again; each wait for a pending state is bounded by
    timeoutSeconds. A service that is not running is not started (1062),
    unless the input says "startIfStopped":true: the caller's snapshot saw
    it running and rotor's own failed restart left it stopped. Then it is
    started, and after it the services named in "startDependents" that
    are stopped (those the snapshot saw running). A
    running service (or running dependent) whose start mode is Disabled is
    not stopped, since it could not be started again (1058). Start and stop
    failures are reported with their Win32 error (1069 logon failure, 1053
    timeout, 1061 cannot accept control, ...); after a 1069 the System
    log's event 7038 supplies the underlying logon error where present.
    Uses System.ServiceProcess.ServiceController (Get-Service), Win32_Service
    for the start mode, and Get-WinEvent.
#>
param([string]$InputJson)
. (Join-Path $PSScriptRoot '_prelude.ps1') # rotor-prelude

Assert-RotorAdministrator
$request = Read-RotorInput $InputJson
$name = [string]$request.name
$timeout = [TimeSpan]::FromSeconds([Math]::Max(1, [double]$request.timeoutSeconds))
$startIfStopped = ($request.startIfStopped -eq $true)
$startDependents = @($request.startDependents | Where-Object { $null -ne $_ } | ForEach-Object { [string]$_ })
Assert-RotorPlainName $name 'the service name'
foreach ($dependentName in $startDependents) { Assert-RotorPlainName $dependentName 'a dependent service name' }

function Wait-ServiceStatus {
    param($Controller, [string]$Wanted)
    $deadline = (Get-Date).Add($timeout)
    while ($true) {
        $Controller.Refresh()
        $status = [string]$Controller.Status
        if ($status -eq $Wanted) { return }
        if ($Wanted -eq 'Running' -and $status -eq 'Stopped') {
            $exitCode = (@(Get-CimInstance -ClassName Win32_Service | Where-Object { $_.Name -eq $Controller.ServiceName }) | Select-Object -First 1).ExitCode
            Exit-RotorError -Code 1067 -Name 'ERROR_PROCESS_ABORTED' -Message ('service ' + $Controller.ServiceName + ' stopped while starting (exit code ' + $exitCode + ')')
        }
        if ((Get-Date) -gt $deadline) {
            Exit-RotorError -Code 1053 -Name 'ERROR_SERVICE_REQUEST_TIMEOUT' -Message ('service ' + $Controller.ServiceName + ' did not reach ' + $Wanted + ' within ' + $timeout.TotalSeconds + ' s')
        }
        Start-Sleep -Milliseconds 250
    }
}

function Get-LogonFailureDetail {
    # Event 7038 names the service and, as its third insertion, the logon
    # error (%%1326); the text around it is localized and not used.
    param([string]$ServiceName, [string]$DisplayName, [datetime]$Since)
    try {
        $filter = @{ LogName = 'System'; Id = 7038; StartTime = $Since }
        foreach ($record in @(Get-WinEvent -FilterHashtable $filter -MaxEvents 20 -ErrorAction Stop)) {
            $subject = [string]$record.Properties[0].Value
            if ($subject -ne $ServiceName -and $subject -ne $DisplayName) { continue }
            if ([string]$record.Properties[2].Value -match '%%(\d+)') { return [long]$Matches[1] }
        }
    } catch {
        # No such event: the underlying reason stays unknown.
    }
    return $null
}

function Stop-Controller {
    param($Controller)
    $Controller.Refresh()
    if ([string]$Controller.Status -eq 'Stopped') { return }
    if ([string]$Controller.Status -ne 'StopPending') {
        try {
            $Controller.Stop()
        } catch {
            Exit-RotorException $_ ('stopping service ' + $Controller.ServiceName)
        }
    }
    Wait-ServiceStatus $Controller 'Stopped'
}

function Start-Controller {
    param($Controller)
    $Controller.Refresh()
    if ([string]$Controller.Status -eq 'Running') { return }
    $since = (Get-Date).AddSeconds(-5)
    try {
        $Controller.Start()
    } catch {
        $code = Get-RotorErrorCode $_.Exception
        $message = 'starting service ' + $Controller.ServiceName + ': ' + $_.Exception.Message
        if ($code -eq 1069) {
            $underlying = Get-LogonFailureDetail $Controller.ServiceName $Controller.DisplayName $since
            if ($null -ne $underlying) {
                Exit-RotorError -Code 1069 -Name (Get-RotorCodeName 1069) -Underlying $underlying -Message ($message + ' (underlying ' + (Get-RotorCodeName $underlying) + ')')
            }
        }
        Exit-RotorError -Code $code -Name (Get-RotorCodeName $code) -Message $message
    }
    Wait-ServiceStatus $Controller 'Running'
}

function Test-Disabled {
    param([string]$ServiceName)
    $service = @(Get-CimInstance -ClassName Win32_Service | Where-Object { $_.Name -eq $ServiceName }) | Select-Object -First 1
    return ($null -ne $service -and [string]$service.StartMode -eq 'Disabled')
}

try {
    $service = Get-Service -Name $name -ErrorAction Stop
} catch {
    Exit-RotorError -Code 1060 -Name 'ERROR_SERVICE_DOES_NOT_EXIST' -Message ('service ' + $name + ' does not exist')
}

$status = [string]$service.Status
if ($status -eq 'StartPending' -or $status -eq 'ContinuePending') {
    Wait-ServiceStatus $service 'Running'
} elseif ($status -eq 'StopPending') {
    Wait-ServiceStatus $service 'Stopped'
}
$service.Refresh()
if ([string]$service.Status -eq 'Stopped' -and $startIfStopped) {
    # Resuming after rotor's own failed start: start it and the dependents
    # the caller's snapshot saw running, never any other.
    if (Test-Disabled $name) {
        Exit-RotorError -Code 1058 -Name 'ERROR_SERVICE_DISABLED' -Message ('service ' + $name + ' is Disabled: it cannot be started')
    }
    $stopped = New-Object System.Collections.ArrayList
    foreach ($dependentName in $startDependents) {
        try {
            $dependent = Get-Service -Name $dependentName -ErrorAction Stop
        } catch {
            continue
        }
        if ([string]$dependent.Status -eq 'Stopped') { [void]$stopped.Add($dependent) }
    }
    Start-RotorChange ('start service ' + $name)
    Start-Controller $service
    $started = New-Object System.Collections.ArrayList
    foreach ($dependent in $stopped) {
        Start-Controller $dependent
        [void]$started.Add([string]$dependent.ServiceName)
    }
    Exit-RotorOk ([ordered]@{ DependentsRestarted = @($started.ToArray()) })
}
if ([string]$service.Status -ne 'Running') {
    Exit-RotorError -Code 1062 -Name 'ERROR_SERVICE_NOT_ACTIVE' -Message ('service ' + $name + ' is ' + $service.Status + '; rotor starts only services that were running')
}

$running = @($service.DependentServices | Where-Object { [string]$_.Status -eq 'Running' })
foreach ($candidate in @(@($service) + $running)) {
    if (Test-Disabled $candidate.ServiceName) {
        Exit-RotorError -Code 1058 -Name 'ERROR_SERVICE_DISABLED' -Message ('service ' + $candidate.ServiceName + ' is running but Disabled: stopping it could not be followed by a start; nothing was stopped')
    }
}

Start-RotorChange ('restart service ' + $name)
foreach ($dependent in $running) { Stop-Controller $dependent }
Stop-Controller $service
Start-Controller $service
$restarted = New-Object System.Collections.ArrayList
for ($i = $running.Count - 1; $i -ge 0; $i--) {
    Start-Controller $running[$i]
    [void]$restarted.Add([string]$running[$i].ServiceName)
}

Exit-RotorOk ([ordered]@{ DependentsRestarted = @($restarted.ToArray()) })
