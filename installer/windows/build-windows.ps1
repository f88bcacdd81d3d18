# Build gkdesk for Windows: the PyInstaller app, its self-test, and the Inno Setup installer
# dist\gkdesk-setup-<version>.exe. Run from a PowerShell prompt in the repository:
#
#     powershell -ExecutionPolicy Bypass -File installer\windows\build-windows.ps1
#
# Needs: Python 3.11 (64-bit, "py" launcher or -Python path) and Inno Setup 6.3+
# (https://jrsoftware.org/isdl.php; ISCC.exe found in its usual folders or on PATH).
# The version comes from gkdesk/__init__.py (__version__) and is passed to ISCC as /DVersion.
param(
    [string]$Python = "",
    [switch]$SkipBuild,
    [switch]$SkipSelfTest
)
$ErrorActionPreference = "Stop"
$Root = (Resolve-Path (Join-Path $PSScriptRoot "..\..")).Path
Set-Location $Root

function Invoke-Checked([string]$What, [scriptblock]$Command) {
    & $Command
    if ($LASTEXITCODE -ne 0) { throw "$What failed (exit code $LASTEXITCODE)" }
}

$VenvPy = Join-Path $Root ".venv\Scripts\python.exe"
if (-not (Test-Path $VenvPy)) {
    if ($Python) { Invoke-Checked "python -m venv" { & $Python -m venv .venv } }
    else { Invoke-Checked "py -3.11 -m venv" { py -3.11 -m venv .venv } }
}
if (-not $SkipBuild) {
    # the build tools and everything the app can use (PostgreSQL support included)
    Invoke-Checked "pip install" { & $VenvPy -m pip install -q -e ".[build,postgresql]" "pyinstaller>=6.10,<7" }
}

$Version = (& $VenvPy -c "import gkdesk; print(gkdesk.__version__)").Trim()
if (-not $Version) { throw "cannot read gkdesk.__version__" }
# Windows file versions are numbers only: 0.2.0rc1 -> 0.2.0.0
$Nums = @([regex]::Matches($Version, "\d+") | ForEach-Object { $_.Value } | Select-Object -First 4)
while ($Nums.Count -lt 4) { $Nums += "0" }
$FileVersion = ($Nums -join ".")
Write-Host "== gkdesk $Version (file version $FileVersion)"

if (-not $SkipBuild) {
    Invoke-Checked "PyInstaller" { & $VenvPy -m PyInstaller --noconfirm --clean installer\gkdesk.spec }
}
$Cli = Join-Path $Root "dist\gkdesk\gkdesk-cli.exe"
if (-not (Test-Path $Cli)) { throw "$Cli not found: build first" }

if (-not $SkipSelfTest) {
    $env:QT_QPA_PLATFORM = "offscreen"
    try { Invoke-Checked "gkdesk --self-test" { & $Cli --self-test } }
    finally { Remove-Item Env:QT_QPA_PLATFORM -ErrorAction SilentlyContinue }
}

$Iscc = @(
    "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe",
    "$env:ProgramFiles\Inno Setup 6\ISCC.exe",
    "$env:LOCALAPPDATA\Programs\Inno Setup 6\ISCC.exe"
) | Where-Object { $_ -and (Test-Path $_) } | Select-Object -First 1
if (-not $Iscc) {
    $cmd = Get-Command iscc.exe -ErrorAction SilentlyContinue
    if ($cmd) { $Iscc = $cmd.Source }
}
if (-not $Iscc) { throw "ISCC.exe (Inno Setup 6) not found: install it from https://jrsoftware.org/isdl.php" }

Invoke-Checked "ISCC" { & $Iscc "/DVersion=$Version" "/DFileVersion=$FileVersion" "installer\windows\gkdesk.iss" }
Write-Host "== dist\gkdesk-setup-$Version.exe"
