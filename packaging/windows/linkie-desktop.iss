; Inno Setup script: the Windows installer of Linkie Desktop, from the PyInstaller one-folder bundle.
; Not built on the Linux CI machine. On Windows (Python 3.11+, uv, Inno Setup 6), from the checkout:
;   uv sync --frozen --no-dev --group packaging --no-editable
;   .venv\Scripts\python packaging\render_icons.py --ico-icns build\icons
;   .venv\Scripts\pyinstaller --noconfirm --distpath build\pyinstaller\dist --workpath build\pyinstaller\work packaging\linkie-desktop.spec
;   iscc /DAppVersion=<version from pyproject.toml> packaging\windows\linkie-desktop.iss
; Output: dist\linkie-desktop-<version>-setup.exe. Uninstalling keeps the user's data
; (%LOCALAPPDATA%\linkie-desktop) and removes everything under the install folder.

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=0.1.0 packaging\windows\linkie-desktop.iss
#endif
#define Bundle "..\..\build\pyinstaller\dist\linkie-desktop"

[Setup]
AppId={{4B8E2C61-7D0F-4A4B-9C1E-6A2F0D9B7E35}
AppName=Linkie Desktop
AppVersion={#AppVersion}
AppPublisher=Linkie Desktop team
AppComments=Write, schedule and publish LinkedIn posts from your own computer
DefaultDirName={autopf}\Linkie Desktop
DefaultGroupName=Linkie Desktop
DisableProgramGroupPage=yes
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=linkie-desktop-{#AppVersion}-setup
SetupIconFile=..\..\build\icons\linkie-desktop.ico
UninstallDisplayIcon={app}\linkie-desktop.exe
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
; The app must not be running while its files are replaced.
CloseApplications=yes

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#Bundle}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\Linkie Desktop"; Filename: "{app}\linkie-desktop.exe"; AppUserModelID: "linkie-desktop"
Name: "{autodesktop}\Linkie Desktop"; Filename: "{app}\linkie-desktop.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\linkie-desktop.exe"; Description: "{cm:LaunchProgram,Linkie Desktop}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Files the app may leave in its own folder (never the user's data, which lives elsewhere).
Type: filesandordirs; Name: "{app}"
