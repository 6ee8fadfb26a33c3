# rotor-operation: set-task-credential
<#
.SYNOPSIS
    Writes the stored password of a scheduled task, addressed by full path.
.DESCRIPTION
    Input: {"path":"\\App\\Jobs\\Nightly Export","account":"CONTOSO\\svc-app",
    "password":"...","jobId":"..."} (jobId optional). Uses the Task Scheduler COM API (Schedule.Service):
    GetFolder and GetTask find the task by folder and name, and
    RegisterTaskDefinition with TASK_UPDATE (4) stores the password, passed
    as a method argument (never a cmdlet parameter that module logging
    would record). Only logon types that store a password are written
    (Password = 1, InteractiveTokenOrPassword = 6); the logon type is left
    as it was. Task Scheduler keeps one stored password per account, so
    other tasks of the same account on this host see the new one too.
#>
param([string]$InputJson)
. (Join-Path $PSScriptRoot '_prelude.ps1') # rotor-prelude

Assert-RotorAdministrator
$request = Read-RotorInput $InputJson
$path = [string]$request.path
$account = [string]$request.account
$password = [string]$request.password
Protect-RotorSecret $password
Assert-RotorPasswordAccount $account

if (-not $path.StartsWith('\') -or $path.EndsWith('\')) {
    Exit-RotorError -Code 87 -Name 'ERROR_INVALID_PARAMETER' -Message ('task path ' + $path + ' is not of the form \Folder\Name')
}
$cut = $path.LastIndexOf('\')
$folderPath = '\'
if ($cut -gt 0) { $folderPath = $path.Substring(0, $cut) }
$taskName = $path.Substring($cut + 1)

try {
    $scheduler = New-Object -ComObject 'Schedule.Service'
    $scheduler.Connect()
    $folder = $scheduler.GetFolder($folderPath)
    $task = $folder.GetTask($taskName)
    $definition = $task.Definition
    $logonType = [int]$definition.Principal.LogonType
    if ($logonType -ne 1 -and $logonType -ne 6) {
        Exit-RotorError -Code -1 -Name 'NoStoredPassword' -Message ('task ' + $path + ' has logon type ' + $logonType + ', which stores no password')
    }
    if (-not (Test-RotorSameAccount ([string]$definition.Principal.UserId) $account)) {
        Exit-RotorError -Code -1 -Name 'AccountChanged' -Message ('task ' + $path + ' no longer runs as ' + $account + '; nothing was written')
    }
    Start-RotorChange ('set the password of task ' + $path + ' (account ' + $account + ')')
    $null = $folder.RegisterTaskDefinition($taskName, $definition, 4, $account, $password, $logonType)
} catch {
    Exit-RotorException $_ ('storing the password of task ' + $path)
}

Exit-RotorOk ([ordered]@{ Path = $path })
