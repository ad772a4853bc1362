// pages/feed/app-bar.js
const theme = {
  appBar: { height: 88, collapsedHeight: 44, shadow: { opacity: 0.16, radius: 8 } },
  colors: { surface: '#ffffff', primary: '#07c160' },
  fonts: ['PingFang SC'],
}
const layout = { safeArea: { top: 47, bottom: 34 } }

const appBarStyle = (scrollTop) => {
  'worklet'
  const range = theme.appBar.height - theme.appBar.collapsedHeight
  const progress = Math.min(Math.max(scrollTop / range, 0), 1)
  return {
    height: `${layout.safeArea.top + theme.appBar.height - range * progress}px`,
    boxShadow: `0 2px ${theme.appBar.shadow.radius}px rgba(0,0,0,${theme.appBar.shadow.opacity * progress})`,
  }
}

module.exports = { appBarStyle, theme }
