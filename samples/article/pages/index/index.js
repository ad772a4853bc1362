// The article page. All text is fixed so screenshots are stable; the only
// change after load is `liked`, toggled by tapping the like button.
Page({
  data: {
    statusBarHeight: 20,
    publication: '',
    issue: 42,
    liked: false,
    likes: 318,
    article: {
      kicker: 'TRAVEL · 旅行笔记',
      title: '在杭州的雨天里慢慢喝一杯龙井：A Slow Afternoon with Longjing Tea, Old Teahouses and the Quiet Art of Doing Nothing at All',
      date: '2025-04-12',
      readMinutes: 7,
      author: { name: 'Lin Qiao 乔林', role: 'Contributing editor', initial: '乔' },
      tags: ['杭州 Hangzhou', 'Tea 茶', 'Slow travel', '西湖'],
      lead: '雨从早上就开始下。We had planned to cycle around West Lake, but the rain had other plans, so we walked up the hill to a teahouse instead and stayed there for the whole afternoon.',
      sections: [
        {
          id: 'arrive',
          heading: '一、上山 Up the hill',
          paragraphs: [
            '从龙井村往上走，石板路被雨水洗得发亮。The path climbs gently between terraces of tea bushes, each row trimmed flat like a hedge, and every few minutes the clouds lift enough to show the lake far below.',
            '茶馆的老板姓周，六十多岁，说话很慢。He poured the first cup without asking what we wanted: 明前龙井, picked before the Qingming festival, the leaves standing upright in the glass like tiny green flags.',
          ],
        },
        {
          id: 'brew',
          heading: '二、怎么泡 How to brew it',
          paragraphs: [
            '水温大约八十度，不要用滚水。Use water at about 80 °C; boiling water cooks the leaves and makes the tea bitter. Fill the glass a third of the way, wait thirty seconds, then top it up.',
            '第二泡往往比第一泡更香。The second infusion is often the best one, when the leaves have fully opened and the colour turns from pale jade to a clear, bright yellow-green.',
          ],
        },
      ],
      quote: '“喝茶不是为了解渴，是为了把时间慢下来。” Tea is not for thirst; it is for slowing time down.',
      quoteSource: '周先生，茶馆老板',
    },
    tip: {
      title: 'Good to know 小贴士',
      body: '龙井茶一般在三月底到四月初上市。Most teahouses on the hill open at 9:00 and close when the last guest leaves.',
    },
    notes: [
      { id: 'n1', kind: 'info', title: 'Getting there 交通', body: 'Bus 27 from the lake shore stops at the village. 下车后步行十分钟。' },
      { id: 'n2', kind: 'warn', title: 'Rainy days 雨天', body: '石阶很滑，请穿防滑的鞋。The stone steps get very slippery when wet.' },
    ],
  },

  onLoad() {
    this.setData({ publication: getApp().globalData.publication });
  },

  toggleLike() {
    const liked = !this.data.liked;
    this.setData({ liked, likes: this.data.likes + (liked ? 1 : -1) });
  },
});
