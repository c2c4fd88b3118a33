export const themeStorageKey = 'opspilot.theme';

/** Sets the theme before first paint so a saved choice never flashes the other one. */
export const themeBootScript = `try{var t=localStorage.getItem('${themeStorageKey}');if(t==='light'||t==='dark')document.documentElement.dataset.theme=t}catch(e){}`;
