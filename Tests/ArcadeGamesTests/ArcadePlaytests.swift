import Foundation
import Testing
import ArcadeCore
@testable import ArcadeGames

/// Scripted players: each game can be won (or scored in) by a simple policy.
@Suite struct ArcadePlaytests {
  static func toward(_ dx: Float, _ dy: Float, dead: Float = 0.2) -> Action {
    let ax = dx > dead ? 1 : dx < -dead ? -1 : 0, ay = dy > dead ? 1 : dy < -dead ? -1 : 0
    return .move(dx: ax, dy: ay)
  }

  /// plunder: lead the nearest target ship, hold fire when a friendly ship is in the way.
  static func plunderPilot(_ s: Plunder.State) -> Action {
    let p = s.player
    var best: (Float, Float)? = nil
    for sh in s.ships where sh.kind == Plunder.Kind.target.rawValue {
      let t = (sh.y - p.y) / Plunder.ballSpeed
      let x = sh.x + sh.vx * t
      guard x > 0.5 && x < 19.5 else { continue }
      if best == nil || abs(x - p.x) < abs(best!.0 - p.x) { best = (x, sh.y) }
    }
    guard let (tx, ty) = best else { return .noop }
    if abs(tx - p.x) < 0.4 && s.cooldown == 0 {
      let blocked = s.ships.contains { sh in
        sh.kind == Plunder.Kind.friendly.rawValue && sh.y < ty
          && abs(sh.x + sh.vx * (sh.y - p.y) / Plunder.ballSpeed - p.x) < sh.rx + 0.3
      }
      if !blocked && !s.panels.contains(where: { abs($0.x - p.x) < $0.rx + 0.3 }) { return Action(9) }
    }
    return toward(tx - p.x, 0)
  }

  @Test func plunderIsWinnable() throws {
    let env = try GameEnv<Plunder>(config: EnvConfig(game: "plunder", options: GameOptions(mode: .easy)))
    var wins = 0, total: Float = 0
    for seed in 0..<UInt32(10) {
      env.reset(levelSeed: seed)
      for _ in 0..<4000 {
        let r = env.step(Self.plunderPilot(env.state))
        total += r.reward
        if r.done { if r.info.prevLevelComplete { wins += 1 }; break }
      }
    }
    #expect(wins >= 3, "\(wins) wins, mean return \(total / 10)")
  }

  /// bossfight with the boss's bullets removed: staying under the boss and
  /// firing wins every round.
  @Test func bossfightRoundsAreWinnable() {
    let g = BossFight(options: GameOptions(mode: .hard))
    var wins = 0
    for seed in 0..<UInt32(10) {
      var s = Arena.level(g, seed)
      var rng = PCG32.stream(levelSeed: seed, role: .dynamics)
      var rounds: Float = 0
      for t in 0..<4000 {
        s.bossShots.removeAll()
        let dx = s.boss.body.x - s.player.x
        // Hug the bottom edge: the rocks start above the ship's strip (as in ProcGen).
        let a = t % 2 == 0 ? Action(9) : Self.toward(dx, BossFight.shipR - s.player.y)
        let e = g.step(&s, action: a, rng: &rng)
        rounds += e.reward
        if e.outcome == .died { break }
        if e.outcome == .won { wins += 1; break }
      }
    }
    #expect(wins >= 8)
  }

  /// bigfish: chase the nearest smaller fish, flee from near larger ones.
  static func fishPilot(_ s: BigFish.State) -> Action {
    let p = s.player
    var fx: Float = 0, fy: Float = 0
    var target: Entity? = nil
    for f in s.fish {
      let dx = f.x - p.x, dy = f.y - p.y
      let d = abs(dx) + abs(dy)
      if f.rx > p.rx {
        if abs(dx) < f.rx + p.rx + 2.5 && abs(dy) < f.ry + p.ry + 1.5 { fx -= dx / max(d, 0.1); fy -= dy / max(d, 0.1) * 2 }
      } else if f.x > 0 && f.x < 20, target == nil || d < abs(target!.x - p.x) + abs(target!.y - p.y) {
        target = f
      }
    }
    if fx != 0 || fy != 0 { return toward(fx, fy, dead: 0.05) }
    if let t = target { return toward(t.x - p.x, t.y - p.y) }
    return toward(10 - p.x, 10 - p.y)
  }

  @Test func bigfishScoresWell() throws {
    let env = try GameEnv<BigFish>(config: EnvConfig(game: "bigfish", options: GameOptions(mode: .easy)))
    var total: Float = 0, wins = 0
    for seed in 0..<UInt32(10) {
      env.reset(levelSeed: seed)
      for _ in 0..<6000 {
        let r = env.step(Self.fishPilot(env.state))
        total += r.reward
        if r.done { if r.info.prevLevelComplete { wins += 1 }; break }
      }
    }
    #expect(total / 10 >= 8, "mean return \(total / 10), \(wins) wins")
  }
}

/// A scripted dodgeball player: walks cell to cell (BFS over floor), lines up
/// with the nearest enemy, throws, and leaves through the door.
struct DodgePilot {
  let g: DodgeBall

  func bfs(_ s: DodgeBall.State, from: Int, margin: Float = 0.3, goal: (Int) -> Bool) -> [Int]? {
    let n = s.size
    var prev = [Int](repeating: -2, count: n * n)
    var queue = [from]
    prev[from] = -1
    var head = 0
    while head < queue.count {
      let c = queue[head]; head += 1
      if goal(c) {
        var path = [c]
        var k = c
        while prev[k] >= 0 { k = prev[k]; path.append(k) }
        return path.reversed()
      }
      let x = c % n, y = c / n
      for (nx, ny) in [(x + 1, y), (x - 1, y), (x, y + 1), (x, y - 1)] where nx >= 0 && ny >= 0 && nx < n && ny < n {
        let i = ny * n + nx
        if prev[i] == -2 && safe(s, i, margin) { prev[i] = c; queue.append(i) }
      }
    }
    return nil
  }

  /// Whether the agent can stand at the centre of cell i: no lava touched, no enemy close.
  func safe(_ s: DodgeBall.State, _ i: Int, _ margin: Float) -> Bool {
    let n = s.size
    var e = s.agent
    e.x = Float(i % n) + 0.5; e.y = Float(i / n) + 0.5
    e.rx += margin; e.ry += margin
    if g.touches(s, e, { $0 != DodgeBall.Tile.floor && $0 != DodgeBall.Tile.open }) { return false }
    return !s.enemies.contains { abs($0.x - e.x) < 2.5 && abs($0.y - e.y) < 2.5 }
  }

  /// Velocity control toward a point: brake so as not to overshoot.
  static func steer(_ v: Float, _ err: Float) -> Int {
    // One press changes the speed by about 0.2; no input decays it by half.
    if abs(err) < 0.25 { return 0 }
    let dir: Float = err > 0 ? 1 : -1
    return v * dir < min(0.3, abs(err) * 0.5) ? Int(dir) : 0
  }

  /// Whether cells between a and b (same row or column) are all floor.
  func clearLine(_ s: DodgeBall.State, _ a: (Int, Int), _ b: (Int, Int)) -> Bool {
    let n = s.size
    let dx = (b.0 - a.0).signum(), dy = (b.1 - a.1).signum()
    var x = a.0, y = a.1
    while (x, y) != b {
      if s.tiles[y * n + x] != DodgeBall.Tile.floor { return false }
      x += dx; y += dy
    }
    return true
  }

  func act(_ s: DodgeBall.State) -> Action {
    let n = s.size
    let a = s.agent, c = a.cell
    let here = c.y * n + c.x
    var path: [Int]?
    var aim: (Int, Int)? = nil
    if let e = s.enemies.min(by: { abs($0.x - a.x) + abs($0.y - a.y) < abs($1.x - a.x) + abs($1.y - a.y) }) {
      let ec = e.cell
      let goal = { (i: Int) -> Bool in
        let x = i % n, y = i / n
        let d = abs(x - ec.x) + abs(y - ec.y)
        return (x == ec.x || y == ec.y) && d >= 2 && d <= 9 && clearLine(s, (x, y), (ec.x, ec.y))
      }
      path = bfs(s, from: here, goal: goal) ?? bfs(s, from: here, margin: 0.05, goal: goal)
      if let p = path, p.count == 1 { aim = (ec.x - c.x, ec.y - c.y) }
    } else {
      // The body covers the cells round its own: stand within its reach of the door, then walk into it.
      let open = (0..<(n * n)).filter { s.tiles[$0] == DodgeBall.Tile.open }
      let reach = g.bodyReach + 1
      path = bfs(s, from: here, margin: 0.05) { i in
        open.contains { abs($0 % n - i % n) <= reach && abs($0 / n - i / n) <= reach }
      }
      if let p = path, p.count == 1, let d = open.min(by: { abs($0 % n - c.x) + abs($0 / n - c.y) < abs($1 % n - c.x) + abs($1 / n - c.y) }) {
        return .move(dx: (d % n - c.x).signum(), dy: (d / n - c.y).signum())
      }
    }
    guard let p = path else { return .noop }
    let next = p.count > 1 ? p[1] : p[0]
    let tx = Float(next % n) + 0.5, ty = Float(next / n) + 0.5
    if let (dx, dy) = aim, abs(a.x - tx) < 0.3, abs(a.y - ty) < 0.3 {
      let fx = Float(dx.signum()), fy = Float(dy.signum())
      if a.a == fx && a.b == fy { if a.timer == 0 { return Action(9) } }
      else if abs(a.vx) < 0.1 && abs(a.vy) < 0.1 { return .move(dx: dx.signum(), dy: dy.signum()) }
    }
    return .move(dx: Self.steer(a.vx, tx - a.x), dy: Self.steer(a.vy, ty - a.y))
  }
}

extension ArcadePlaytests {
  /// With the enemies' balls removed, even this crude scripted player (it
  /// cannot centre itself finer than ±0.2 cells) clears some rooms.
  @Test(arguments: [DistributionMode.hard])
  func dodgeballRoomsAreWinnable(mode: DistributionMode) {
    let g = DodgeBall(options: GameOptions(mode: mode))
    var wins = 0
    for seed in 0..<UInt32(20) {
      var s = Arena.level(g, seed)
      var rng = PCG32.stream(levelSeed: seed, role: .dynamics)
      let pilot = DodgePilot(g: g)
      for _ in 0..<1000 {
        s.balls.removeAll { $0.kind == DodgeBall.Kind.enemyBall.rawValue }
        let act = pilot.act(s)
        let e = g.step(&s, action: act, rng: &rng)
        if e.outcome == .won { wins += 1 }
        if e.outcome != .running { break }
      }
    }
    #expect(wins >= 3, "\(wins) of 20")
  }
}

extension ArcadePlaytests {
  /// chaser: a breadth-first orb eater that keeps two cells away from enemies
  /// (and hunts them while they are vulnerable).
  static func chaserPilot(_ s: Chaser.State) -> Action {
    let n = s.size
    let a = s.agent.cell
    let start = a.y * n + a.x
    var danger = [Bool](repeating: false, count: n * n)
    if s.vulnerable < 10 {
      for e in s.enemies where e.kind == Chaser.Kind.enemy.rawValue {
        let c = e.cell
        for dy in -2...2 { for dx in -2...2 where abs(dx) + abs(dy) <= 2 {
          let x = c.x + dx, y = c.y + dy
          if x >= 0 && y >= 0 && x < n && y < n { danger[y * n + x] = true }
        } }
      }
    }
    var prev = [Int](repeating: -2, count: n * n)
    prev[start] = -1
    var queue = [start], head = 0
    var goal = -1
    while head < queue.count {
      let c = queue[head]; head += 1
      let t = s.tiles[c]
      if c != start && (t == Chaser.Tile.orb || t == Chaser.Tile.power) { goal = c; break }
      let x = c % n, y = c / n
      for (nx, ny) in [(x + 1, y), (x - 1, y), (x, y + 1), (x, y - 1)] where nx >= 0 && ny >= 0 && nx < n && ny < n {
        let i = ny * n + nx
        if prev[i] == -2 && s.tiles[i] != Chaser.Tile.wall && !danger[i] { prev[i] = c; queue.append(i) }
      }
    }
    guard goal >= 0 else { return .noop }
    var step = goal
    while prev[step] != start && prev[step] >= 0 { step = prev[step] }
    let dx = step % n - a.x, dy = step / n - a.y
    return .move(dx: dx, dy: dy)
  }

  @Test func chaserIsWinnable() throws {
    let env = try GameEnv<Chaser>(config: EnvConfig(game: "chaser", options: GameOptions(mode: .easy)))
    var wins = 0, total: Float = 0
    for seed in 0..<UInt32(20) {
      env.reset(levelSeed: seed)
      for _ in 0..<1000 {
        let r = env.step(Self.chaserPilot(env.state))
        total += r.reward
        if r.done { if r.info.prevLevelComplete { wins += 1 }; break }
      }
    }
    #expect(wins >= 8, "\(wins) of 20, mean return \(total / 20)")
  }
}

extension ArcadePlaytests {
  /// starpilot: look ahead by playing each movement (and firing in place)
  /// for 12 steps on a copy of the game, take the one that survives longest,
  /// preferring to fire and to stay near the left edge (after step 500, the
  /// right one, where the finish line comes in).
  static func starPilot(_ g: StarPilot, _ s: StarPilot.State) -> Action {
    let tx: Float = s.time >= 500 ? 15 : 3
    var best = Action(9), bestScore = -Float.infinity
    for a in [9, 0, 1, 2, 3, 4, 5, 6, 7, 8] {
      var t = s
      var rng = PCG32(seed: 1, stream: 1)
      var alive = 0, won = false
      for _ in 0..<12 {
        t.enemyShots.removeAll()
        let e = g.step(&t, action: Action(a), rng: &rng)
        if e.outcome == .won { won = true; break }
        if e.outcome == .died { break }
        alive += 1
      }
      var score = Float(won ? 100 : alive) * 10 - abs(t.player.x - tx) - 0.3 * abs(t.player.y - 8)
      if a == 9 { score += 2 }
      if score > bestScore { bestScore = score; best = Action(a) }
    }
    return best
  }

  /// With the enemies' bullets removed, the look-ahead pilot survives to the
  /// finish line (bodies still kill; every enemy type still has to be shot or avoided).
  @Test func starpilotIsWinnable() {
    let g = StarPilot(options: GameOptions(mode: .hard))
    var wins = 0
    for seed in 0..<UInt32(20) {
      var s = Arena.level(g, seed)
      var rng = PCG32.stream(levelSeed: seed, role: .dynamics)
      for _ in 0..<1000 {
        s.enemyShots.removeAll()
        let e = g.step(&s, action: Self.starPilot(g, s), rng: &rng)
        if e.outcome == .won { wins += 1 }
        if e.outcome != .running { break }
      }
    }
    #expect(wins >= 4, "\(wins) of 20")
  }

  /// caveflyer: follow the cheapest path to the exit (cells next to meteors
  /// and targets cost 6, enemy lanes 4, others 1; meteor and target cells
  /// are closed),
  /// steering Asteroids-style: turn toward the thrust that gives the wanted
  /// velocity (toward a cell three steps ahead; slower beside hazards),
  /// thrust when facing it. When an enemy's straight course meets the
  /// ship's within 12 steps, back away from it instead.
  struct CavePilot {
    let n: Int
    let dist: [Int]
    let near: [Bool]

    init(_ s: CaveFlyer.State) {
      let n = s.size
      self.n = n
      var near = [Bool](repeating: false, count: n * n), closed = s.tiles.map { $0 == CaveFlyer.Tile.wall }
      for e in s.objects where e.kind != CaveFlyer.Kind.enemy.rawValue {
        let c = e.cell
        closed[c.y * n + c.x] = true
        for y in max(0, c.y - 1)...min(n - 1, c.y + 1) { for x in max(0, c.x - 1)...min(n - 1, c.x + 1) { near[y * n + x] = true } }
      }
      self.near = near
      // Enemy lanes (the row or column an enemy sweeps between walls) cost 4: cross them, do not follow them.
      var lane = [Bool](repeating: false, count: n * n)
      for e in s.objects where e.kind == CaveFlyer.Kind.enemy.rawValue {
        let c = e.cell, (sx, sy) = e.vx != 0 ? (1, 0) : (0, 1)
        for dir in [-1, 1] {
          var x = c.x, y = c.y
          while x >= 0 && y >= 0 && x < n && y < n && s.tiles[y * n + x] == CaveFlyer.Tile.open {
            lane[y * n + x] = true
            x += dir * sx; y += dir * sy
          }
        }
      }
      // Dial's algorithm: a bucket per distance.
      var dist = [Int](repeating: -1, count: n * n)
      var buckets: [[Int]] = [[]]
      let x = s.exit.cell
      var best = [Int](repeating: Int.max, count: n * n)
      best[x.y * n + x.x] = 0
      buckets[0].append(x.y * n + x.x)
      var d = 0
      while d < buckets.count {
        for c in buckets[d] where dist[c] < 0 && best[c] == d {
          dist[c] = d
          let cx = c % n, cy = c / n
          for (nx, ny) in [(cx + 1, cy), (cx - 1, cy), (cx, cy + 1), (cx, cy - 1)] where nx >= 0 && ny >= 0 && nx < n && ny < n {
            let m = ny * n + nx
            guard !closed[m], dist[m] < 0 else { continue }
            let nd = d + (near[m] ? 6 : lane[m] ? 4 : 1)
            if nd < best[m] {
              best[m] = nd
              while buckets.count <= nd { buckets.append([]) }
              buckets[nd].append(m)
            }
          }
        }
        d += 1
      }
      self.dist = dist
    }

    func act(_ s: CaveFlyer.State) -> Action {
      let p = s.agent, c = p.cell
      var cur = c.y * n + c.x
      var careful = near[cur]
      if dist[cur] >= 0 {
        for _ in 0..<3 where dist[cur] > 0 {
          let x = cur % n, y = cur / n
          var next = cur
          for (nx, ny) in [(x + 1, y), (x - 1, y), (x, y + 1), (x, y - 1)]
          where nx >= 0 && ny >= 0 && nx < n && ny < n && dist[ny * n + nx] >= 0 && dist[ny * n + nx] < dist[next] {
            next = ny * n + nx
          }
          cur = next
          careful = careful || near[cur]
        }
      }
      let dx = Float(cur % n) + 0.5 - p.x, dy = Float(cur / n) + 0.5 - p.y
      let d = max(0.01, (dx * dx + dy * dy).squareRoot())
      let speed: Float = careful ? 0.12 : 0.25
      var wx = dx / d * speed, wy = dy / d * speed
      /// Where an enemy meets the ship within 12 steps if the ship flies at (vx, vy), if it does.
      func conflict(_ vx: Float, _ vy: Float) -> (Float, Float)? {
        for e in s.objects where e.kind == CaveFlyer.Kind.enemy.rawValue && abs(e.x - p.x) + abs(e.y - p.y) < 7 {
          for k in 1...12 {
            let ex = e.x + e.vx * Float(k), ey = e.y + e.vy * Float(k)
            if abs(ex - p.x - vx * Float(k)) < 1.3 && abs(ey - p.y - vy * Float(k)) < 1.3 { return (ex, ey) }
          }
        }
        return nil
      }
      // On a collision course: hold still, or back away when holding still is not enough.
      if conflict(wx, wy) != nil {
        if let (ex, ey) = conflict(0, 0) {
          let fx = p.x - ex, fy = p.y - ey, f = max(0.01, (fx * fx + fy * fy).squareRoot())
          wx = fx / f * 0.15; wy = fy / f * 0.15
        } else {
          wx = 0; wy = 0
        }
      }
      let ex = wx - p.vx, ey = wy - p.vy
      if (ex * ex + ey * ey).squareRoot() < 0.03 { return .noop }
      // The heading the current turn will settle at.
      let h = Float(s.heading + s.spin) * 2 * Float.pi / Float(CaveFlyer.Heading.turn)
      var diff = Float(atan2(Double(ey), Double(ex))) - h
      while diff > Float.pi { diff -= 2 * Float.pi }
      while diff < -Float.pi { diff += 2 * Float.pi }
      let turn = abs(diff) < 0.2 ? 0 : diff > 0 ? -1 : 1
      let thrust = abs(diff) < 0.6 ? 1 : abs(diff) > Float.pi - 0.4 ? -1 : 0
      return .move(dx: turn, dy: thrust)
    }
  }

  @Test(arguments: [DistributionMode.easy, .hard])
  func caveflyerIsWinnable(mode: DistributionMode) {
    let g = CaveFlyer(options: GameOptions(mode: mode))
    var wins = 0, deaths = 0
    for seed in 0..<UInt32(20) {
      var s = Arena.level(g, seed)
      var rng = PCG32.stream(levelSeed: seed, role: .dynamics)
      let pilot = CavePilot(s)
      for _ in 0..<1000 {
        let e = g.step(&s, action: pilot.act(s), rng: &rng)
        if e.outcome == .won { wins += 1 }
        if e.outcome == .died { deaths += 1 }
        if e.outcome != .running { break }
      }
    }
    print("caveflyer \(mode.rawValue) pilot: \(wins) wins, \(deaths) deaths of 20")
    #expect(wins >= 12, "\(wins) of 20 (\(deaths) deaths)")
  }
}
