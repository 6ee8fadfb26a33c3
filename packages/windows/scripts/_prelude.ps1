# rotor prelude: helpers shared by every operation. The TypeScript side
# inlines this file in place of each script's "# rotor-prelude" line; a
# script run by hand dot-sources it from its own folder instead.
#
# Contract kept here for every operation:
# - the input is one JSON document, given as the only argument or on stdin;
# - stdout carries marker lines and exactly one JSON document, pure ASCII
#   (every character above U+007E written as \uXXXX): "##rotor BEGIN"
#   once the input is read and checked, before the first change; then the
#   document, shaped {"ok":true,"result":...,"nonce":"..."} with exit code 0
#   or {"ok":false,"error":{"code":n,"name":"...","message":"..."},
#   "nonce":"..."} with exit code 1, the nonce echoed from the input; then
#   "##rotor END". The bootstrap prints "##rotor LANGMODE <mode>" first;
# - a password is held only in a variable: it is registered with
#   Protect-RotorSecret and removed from every message that leaves the host;
# - a change is recorded in the Application event log (source rotor) with
#   the job's id and the dependent, never the password.

# The nonce the gateway sent (32 hex digits), echoed in the document so
# that the gateway can tell this run's answer from any other. Read with a
# pattern: a password cannot hold it, since its quotes arrive escaped.
$script:RotorNonce = $null
if ($InputJson -match '"nonce":"([0-9a-f]+)"') { $script:RotorNonce = $Matches[1] }

# Under AppLocker or WDAC the script runs in Constrained Language Mode,
# where the .NET calls below fail half-way; stop first, with cmdlets only.
if ($ExecutionContext.SessionState.LanguageMode -ne 'FullLanguage') {
    Write-Output ('{"ok":false,"error":{"code":-1,"name":"ConstrainedLanguage","message":"PowerShell runs in ' + $ExecutionContext.SessionState.LanguageMode + ' mode: nothing was changed"},"nonce":"' + $script:RotorNonce + '"}')
    Write-Output '##rotor END'
    exit 1
}

$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$WarningPreference = 'SilentlyContinue'
$VerbosePreference = 'SilentlyContinue'

$script:RotorSecrets = New-Object System.Collections.ArrayList
# What the running operation changes, for the event log; set by
# Start-RotorChange. The job comes from the input's jobId.
$script:RotorChange = $null
$script:RotorJobId = $null

# Win32 error names for the codes rotor reports (kept equal to codes.ts).
$script:RotorCodeNames = @{
    2 = 'ERROR_FILE_NOT_FOUND'
    5 = 'ERROR_ACCESS_DENIED'
    87 = 'ERROR_INVALID_PARAMETER'
    1051 = 'ERROR_DEPENDENT_SERVICES_RUNNING'
    1053 = 'ERROR_SERVICE_REQUEST_TIMEOUT'
    1056 = 'ERROR_SERVICE_ALREADY_RUNNING'
    1057 = 'ERROR_INVALID_SERVICE_ACCOUNT'
    1058 = 'ERROR_SERVICE_DISABLED'
    1060 = 'ERROR_SERVICE_DOES_NOT_EXIST'
    1061 = 'ERROR_SERVICE_CANNOT_ACCEPT_CTRL'
    1062 = 'ERROR_SERVICE_NOT_ACTIVE'
    1067 = 'ERROR_PROCESS_ABORTED'
    1068 = 'ERROR_SERVICE_DEPENDENCY_FAIL'
    1069 = 'ERROR_SERVICE_LOGON_FAILED'
    1072 = 'ERROR_SERVICE_MARKED_FOR_DELETE'
    1079 = 'ERROR_DIFFERENT_SERVICE_ACCOUNT'
    1312 = 'ERROR_NO_SUCH_LOGON_SESSION'
    1317 = 'ERROR_NO_SUCH_USER'
    1323 = 'ERROR_WRONG_PASSWORD'
    1325 = 'ERROR_PASSWORD_RESTRICTION'
    1326 = 'ERROR_LOGON_FAILURE'
    1327 = 'ERROR_ACCOUNT_RESTRICTION'
    1328 = 'ERROR_INVALID_LOGON_HOURS'
    1329 = 'ERROR_INVALID_WORKSTATION'
    1330 = 'ERROR_PASSWORD_EXPIRED'
    1331 = 'ERROR_ACCOUNT_DISABLED'
    1332 = 'ERROR_NONE_MAPPED'
    1385 = 'ERROR_LOGON_TYPE_NOT_GRANTED'
    1907 = 'ERROR_PASSWORD_MUST_CHANGE'
    1909 = 'ERROR_ACCOUNT_LOCKED_OUT'
    2221 = 'NERR_UserNotFound'
    2245 = 'NERR_PasswordTooShort'
}

function Protect-RotorSecret {
    param([string]$Secret)
    if (-not [string]::IsNullOrEmpty($Secret)) {
        [void]$script:RotorSecrets.Add($Secret)
    }
}

function Get-RotorSafeText {
    # Every registered secret is cut out before the text is shortened, so
    # no part of a password can survive at the cut.
    param([string]$Text)
    if ($null -eq $Text) { return '' }
    foreach ($secret in $script:RotorSecrets) {
        $Text = $Text.Replace($secret, '[secret]')
    }
    $Text = ($Text -replace '\s+', ' ').Trim()
    if ($Text.Length -gt 400) { $Text = $Text.Substring(0, 400) }
    return $Text
}

function ConvertTo-RotorJson {
    param($Value)
    $json = ConvertTo-Json -InputObject $Value -Depth 8 -Compress
    $builder = New-Object System.Text.StringBuilder
    foreach ($ch in $json.ToCharArray()) {
        $code = [int]$ch
        if ($code -gt 126) {
            [void]$builder.Append(('\u{0:x4}' -f $code))
        } else {
            [void]$builder.Append($ch)
        }
    }
    return $builder.ToString()
}

function Write-RotorAudit {
    # The host's own record of a change (issue 8): one entry in the
    # Application event log, source "rotor" (created if missing), naming
    # the job and the dependent, never the password (the text goes through
    # Get-RotorSafeText too). Written once per run; a log that cannot be
    # written does not fail or undo the change.
    param([bool]$Succeeded, [string]$Outcome)
    if ([string]::IsNullOrEmpty($script:RotorChange)) { return }
    $job = $script:RotorJobId
    if ([string]::IsNullOrEmpty($job)) { $job = '(none)' }
    $text = Get-RotorSafeText ('rotor job ' + $job + ': ' + $script:RotorChange + ': ' + $Outcome)
    $script:RotorChange = $null
    $entryType = [System.Diagnostics.EventLogEntryType]::Information
    $eventId = 1000
    if (-not $Succeeded) {
        $entryType = [System.Diagnostics.EventLogEntryType]::Warning
        $eventId = 1001
    }
    try {
        if (-not [System.Diagnostics.EventLog]::SourceExists('rotor')) {
            [System.Diagnostics.EventLog]::CreateEventSource('rotor', 'Application')
        }
        [System.Diagnostics.EventLog]::WriteEntry('rotor', $text, $entryType, $eventId)
    } catch {
        # The change stands; only its entry in the log is missing.
    }
}

function Start-RotorChange {
    # Marks the point after which the host may have changed (W23): the
    # input is read and checked, the first change comes next. $Change says
    # what changes, for the event log; a read-only operation passes none.
    param([string]$Change)
    $script:RotorChange = $Change
    [Console]::Out.WriteLine('##rotor BEGIN')
}

function Write-RotorDocument {
    param($Document)
    if ($null -ne $script:RotorNonce) { $Document['nonce'] = $script:RotorNonce }
    [Console]::Out.WriteLine((ConvertTo-RotorJson $Document))
    [Console]::Out.WriteLine('##rotor END')
}

function Exit-RotorOk {
    param($Result)
    Write-RotorAudit $true 'succeeded'
    Write-RotorDocument ([ordered]@{ ok = $true; result = $Result })
    $global:LASTEXITCODE = 0
    exit 0
}

function Exit-RotorError {
    # $Underlying is the logon error behind a 1069, where the host names it.
    param([long]$Code, [string]$Name, [string]$Message, $Underlying = $null)
    Write-RotorAudit $false ('failed with ' + $Name + ' (' + $Code + ')')
    $failure = [ordered]@{
        code = $Code
        name = $Name
        message = (Get-RotorSafeText $Message)
    }
    if ($null -ne $Underlying) { $failure['underlying'] = [long]$Underlying }
    Write-RotorDocument ([ordered]@{ ok = $false; error = $failure })
    $global:LASTEXITCODE = 1
    exit 1
}

function Read-RotorInput {
    param([string]$Text)
    if ([string]::IsNullOrWhiteSpace($Text)) {
        $Text = [Console]::In.ReadToEnd()
    }
    if ($null -eq $script:RotorNonce -and $Text -match '"nonce":"([0-9a-f]+)"') { $script:RotorNonce = $Matches[1] }
    try {
        $request = $Text | ConvertFrom-Json
        if ($null -ne $request.jobId) { $script:RotorJobId = [string]$request.jobId }
        return $request
    } catch {
        # The parser's message may quote the input, which holds the password.
        Exit-RotorError -Code 87 -Name 'ERROR_INVALID_PARAMETER' -Message 'the input is not one JSON document'
    }
}

function Get-RotorCodeName {
    # An HRESULT of the Win32 facility (0x8007xxxx, signed or not) is named
    # by its Win32 error. Arithmetic, not hex literals: 5.1 reads
    # 0x80070000 as a negative Int32.
    param([long]$Code)
    $unsigned = $Code
    if ($unsigned -lt 0) { $unsigned += 4294967296 }
    $win32 = $Code
    if ([math]::Floor($unsigned / 65536) -eq 32775) { $win32 = $unsigned % 65536 }
    if ($win32 -ge 0 -and $win32 -le 65535 -and $script:RotorCodeNames.ContainsKey([int]$win32)) {
        return $script:RotorCodeNames[[int]$win32]
    }
    return ('WIN32_' + $Code)
}

function Find-RotorException {
    # The first exception in the chain whose type name is one of $TypeNames.
    param($Exception, [string[]]$TypeNames)
    $current = $Exception
    while ($null -ne $current) {
        if ($TypeNames -contains $current.GetType().Name) { return $current }
        $current = $current.InnerException
    }
    return $null
}

function Get-RotorErrorCode {
    # A Win32 error where the chain carries one, else the HRESULT.
    param($Exception)
    $current = $Exception
    while ($null -ne $current) {
        if ($current -is [System.ComponentModel.Win32Exception]) {
            return [long]$current.NativeErrorCode
        }
        if ($current -is [System.Runtime.InteropServices.COMException]) {
            return [long]$current.ErrorCode
        }
        $current = $current.InnerException
    }
    return [long]$Exception.HResult
}

function Exit-RotorException {
    param($ErrorRecord, [string]$Context)
    $code = Get-RotorErrorCode $ErrorRecord.Exception
    $message = $Context + ': ' + $ErrorRecord.Exception.Message
    Exit-RotorError -Code $code -Name (Get-RotorCodeName $code) -Message $message
}

function ConvertTo-RotorSid {
    param([string]$Name)
    if ($Name -match '^S-1-') { return $Name }
    if ($Name.StartsWith('.\')) { $Name = $env:COMPUTERNAME + $Name.Substring(1) }
    $account = New-Object System.Security.Principal.NTAccount($Name)
    return $account.Translate([System.Security.Principal.SecurityIdentifier]).Value
}

function Test-RotorSameAccount {
    # Equal as written (case-insensitive), or resolving to one SID.
    param([string]$Left, [string]$Right)
    if ([string]::IsNullOrEmpty($Left) -or [string]::IsNullOrEmpty($Right)) { return $false }
    if ($Left -eq $Right) { return $true }
    try {
        return ((ConvertTo-RotorSid $Left) -eq (ConvertTo-RotorSid $Right))
    } catch {
        return $false
    }
}

function Test-RotorAccountWithoutPassword {
    # Built-in, virtual and group managed service accounts have no password
    # that rotor may set. Checked by SID where the name resolves, so that
    # localized names (NT-AUTORITAET\NETZWERKDIENST) are recognised too.
    param([string]$Account)
    if ([string]::IsNullOrWhiteSpace($Account)) { return $true }
    if ($Account -match '^(\.\\)?LocalSystem$') { return $true }
    if ($Account -match '^(NT SERVICE|IIS APPPOOL|NT VIRTUAL MACHINE)\\') { return $true }
    if ($Account -match '\$$' -or $Account -match '\$@') { return $true }
    try {
        $sid = ConvertTo-RotorSid $Account
        if ($sid -in @('S-1-5-18', 'S-1-5-19', 'S-1-5-20')) { return $true }
        if ($sid -like 'S-1-5-80-*' -or $sid -like 'S-1-5-82-*') { return $true }
    } catch {
        # An account that does not resolve is left to the operation to refuse.
    }
    return $false
}

function Assert-RotorPasswordAccount {
    param([string]$Account)
    if (Test-RotorAccountWithoutPassword $Account) {
        Exit-RotorError -Code 1057 -Name 'AccountHasNoPassword' -Message ('account ' + $Account + ' is built-in, virtual or managed: rotor never gives it a password')
    }
}

function Assert-RotorPlainName {
    # Names that reach wildcard-aware cmdlets or provider paths must be plain.
    param([string]$Value, [string]$What)
    if ([string]::IsNullOrWhiteSpace($Value) -or $Value -match '[\*\?\[\]]') {
        Exit-RotorError -Code 87 -Name 'ERROR_INVALID_PARAMETER' -Message ($What + ' is empty or holds a wildcard character')
    }
}

function Test-RotorIisInstalled {
    # IIS presence is decided by a probe, never by a module import error.
    $services = @(Get-Service -Name 'W3SVC', 'WAS' -ErrorAction SilentlyContinue)
    $appcmd = Join-Path $env:windir 'System32\inetsrv\appcmd.exe'
    return (($services.Count -gt 0) -or (Test-Path -LiteralPath $appcmd))
}

function Import-RotorWebAdministration {
    try {
        Import-Module WebAdministration -ErrorAction Stop
    } catch {
        $shell = 'PowerShell ' + $PSVersionTable.PSVersion + ' ' + $PSVersionTable.PSEdition
        Exit-RotorError -Code -1 -Name 'IisModuleUnavailable' -Message ('IIS is installed but WebAdministration did not load in ' + $shell + ': ' + $_.Exception.Message)
    }
}

function Assert-RotorAdministrator {
    # A filtered (non-elevated) token of an administrator is not in the role:
    # the check covers both "not an administrator" and "not elevated", and
    # runs before anything is changed or listed.
    $identity = [System.Security.Principal.WindowsIdentity]::GetCurrent()
    $principal = New-Object System.Security.Principal.WindowsPrincipal($identity)
    if (-not $principal.IsInRole([System.Security.Principal.WindowsBuiltInRole]::Administrator)) {
        Exit-RotorError -Code 5 -Name 'NotAdministrator' -Message ('the session of ' + $identity.Name + ' is not an elevated administrator: nothing was changed')
    }
}
