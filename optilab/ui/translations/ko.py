"""Korean UI texts: English original → 한국어.

Terms used throughout (as in the Korean edition of "Deep Learning from
Scratch" and common classroom use): 학습률 (η), 모멘텀, 기울기, 손실 함수,
최적화 기법(옵티마이저), 편향 보정, 발산, 단계, 시작점, 등고선, 곡면,
하이퍼파라미터, 미니배치, 가중치 감소, 드롭아웃, 배치 정규화.
Optimizer names (SGD, Momentum, AdaGrad, RMSprop, Adam) and formulas stay as
they are, as in the book.  Placeholders in braces must be kept.
"""

from __future__ import annotations

CATALOG: dict[str, str] = {
    # -- window, menus ------------------------------------------------------
    "optilab — how optimizers behave": "optilab — 최적화 기법은 어떻게 움직이는가",
    "&File": "파일(&F)",
    "&View": "보기(&V)",
    "&Help": "도움말(&H)",
    "Surface lab": "곡면 실험실",
    "Training lab": "학습 실험실",
    "Open scenario…": "시나리오 열기…",
    "Open scenario": "시나리오 열기",
    "Open recent": "최근 파일",
    "Save scenario…": "시나리오 저장…",
    "Save scenario": "시나리오 저장",
    "Export…": "내보내기…",
    "Export": "내보내기",
    "Export picture…": "그림 내보내기…",
    "Export picture": "그림 내보내기",
    "Export trajectories (CSV)…": "궤적 내보내기 (CSV)…",
    "Export trajectories": "궤적 내보내기",
    "Quit": "끝내기",
    "2-D map": "2차원 지도",
    "3-D surface": "3차원 곡면",
    "Numbers behind the step": "단계별 계산 값",
    "Controls": "설정 패널",
    "Gradient arrows (−g)": "기울기 화살표 (−g)",
    "Velocity arrows (v)": "속도 화살표 (v)",
    "Reset 3-D view": "3차원 보기 초기화",
    "Reset 2-D view": "2차원 보기 초기화",
    "Play / pause": "재생 / 일시정지",
    "Step forward": "한 단계 앞으로",
    "Step back": "한 단계 뒤로",
    "Back to step 0": "0단계로 되돌리기",
    "Language": "언어",
    "Presentation": "발표 모드",
    "Full screen": "전체 화면",
    "Larger text and lines": "글자와 선 크게",
    "Smaller text and lines": "글자와 선 작게",
    "Normal size": "기본 크기",
    "Colour-blind safe (Okabe–Ito)": "색각 이상 배려 색상 (Okabe–Ito)",
    "High contrast": "고대비 색상",
    "Light theme": "밝은 테마",
    "Dark theme": "어두운 테마",
    "Lesson guide": "수업 안내",
    "Keyboard shortcuts": "단축키",
    "About optilab": "optilab 정보",
    "{what} ({key})": "{what} ({key})",
    "Drag the 3-D view to orbit it; click the 2-D map to move the start point.":
        "3차원 보기를 드래그하면 회전하고, 2차원 지도를 클릭하면 시작점이 옮겨집니다.",
    "Scale {percent} %": "크기 {percent} %",
    # -- status and errors -------------------------------------------------
    "Saved {path}": "{path}에 저장했습니다",
    "Opened {path}": "{path}을(를) 열었습니다",
    "Could not write {path}": "{path}에 쓸 수 없습니다",
    "Could not write {path}: {reason}": "{path}에 쓸 수 없습니다: {reason}",
    "Cannot open this scenario: {reason}": "이 시나리오를 열 수 없습니다: {reason}",
    "Cannot save: {reason}": "저장할 수 없습니다: {reason}",
    "Formula error: {reason}": "수식 오류: {reason}",
    "not a number": "숫자가 아닙니다",
    "must be a finite number": "유한한 숫자여야 합니다",
    "Rendering the animation…": "애니메이션을 만드는 중…",
    "Cancel": "취소",
    "Export cancelled": "내보내기를 취소했습니다",
    "optilab scenarios (*.json)": "optilab 시나리오 (*.json)",
    "PNG images (*.png)": "PNG 이미지 (*.png)",
    "SVG images (*.svg)": "SVG 이미지 (*.svg)",
    "CSV files (*.csv)": "CSV 파일 (*.csv)",
    "JSON files (*.json)": "JSON 파일 (*.json)",
    "GIF animations (*.gif)": "GIF 애니메이션 (*.gif)",
    # -- export dialog -----------------------------------------------------
    "2-D map as PNG": "2차원 지도 (PNG)",
    "2-D map as SVG": "2차원 지도 (SVG)",
    "3-D view as PNG": "3차원 보기 (PNG)",
    "Whole window as PNG": "창 전체 (PNG)",
    "Trajectories as CSV": "궤적 (CSV)",
    "Trajectories as JSON": "궤적 (JSON)",
    "Animation as GIF": "애니메이션 (GIF)",
    "Both, side by side": "둘 다 나란히",
    "Width": "너비",
    "Height": "높이",
    "Resolution (DPI)": "해상도 (DPI)",
    "View": "보기",
    "Frames per second": "초당 프레임 수",
    # -- surface lab controls ----------------------------------------------
    "Lessons…": "수업 선택…",
    "Look at: ": "살펴볼 점: ",
    "Pick a lesson, or choose a surface and optimizers on the left.":
        "수업을 고르거나, 왼쪽에서 곡면과 최적화 기법을 선택하세요.",
    "Surface": "곡면",
    "Custom formula": "직접 입력한 수식",
    "f(x, y), e.g. x**2 + 3*sin(y)": "f(x, y), 예: x**2 + 3*sin(y)",
    "Apply": "적용",
    "Hyperparameters": "하이퍼파라미터",
    "Hyperparameters of {title}": "{title}의 하이퍼파라미터",
    "bias correction (m̂, v̂)": "편향 보정 (m̂, v̂)",
    "Add optimizer": "최적화 기법 추가",
    "Remove": "삭제",
    "Start and steps": "시작점과 단계 수",
    "Start": "시작점",
    "Steps": "단계 수",
    "or click on the 2-D map": "또는 2차원 지도를 클릭하세요",
    "▶ Play": "▶ 재생",
    "❚❚ Pause": "❚❚ 일시정지",
    "◀ Step": "◀ 한 단계",
    "Step ▶": "한 단계 ▶",
    "One step back (Left arrow)": "한 단계 뒤로 (← 키)",
    "One step forward (Right arrow)": "한 단계 앞으로 (→ 키)",
    "Play or pause (Space)": "재생 또는 일시정지 (Space 키)",
    "Speed": "속도",
    "{n} steps/s": "초당 {n}단계",
    "step {k} / {n}": "{k} / {n} 단계",
    "Reset view": "보기 초기화",
    "Drag to orbit, wheel to zoom; this restores the default camera":
        "드래그하면 회전, 휠로 확대/축소합니다. 이 단추는 기본 시점으로 되돌립니다",
    "log₁₀(f − f_min)": "log₁₀(f − f_min)",
    "{title}: diverged at step {k}": "{title}: {k}단계에서 발산",
    "diverged at step {k}": "{k}단계에서 발산",
    "Tick an optimizer to see the numbers behind each step.":
        "최적화 기법을 체크하면 단계마다 계산된 값이 보입니다.",
    "state": "상태",
    "step": "단계",
    "step taken": "이동량",
    "η (lr)": "η (학습률)",
    "μ (momentum)": "μ (모멘텀)",
    "ρ (decay)": "ρ (감쇠율)",
    "β₁": "β₁",
    "β₂": "β₂",
    "ε": "ε",
    "λ (weight decay)": "λ (가중치 감소)",
    # -- surfaces ----------------------------------------------------------
    "Bowl (book)": "그릇 모양 (책의 예)",
    "Ill-conditioned quadratic (κ = 100)": "조건수가 나쁜 이차 함수 (κ = 100)",
    "Rosenbrock": "로젠브록 (Rosenbrock)",
    "Beale": "빌 (Beale)",
    "Himmelblau": "힘멜블라우 (Himmelblau)",
    "Saddle": "안장점",
    "Monkey saddle": "원숭이 안장",
    "Rastrigin": "라스트리긴 (Rastrigin)",
    "Ackley": "애클리 (Ackley)",
    "Booth": "부스 (Booth)",
    "Goldstein–Price": "골드스타인–프라이스 (Goldstein–Price)",
    "Six-hump camel": "여섯 봉우리 낙타 (Six-hump camel)",
    "Least squares (GD, all points)": "최소제곱 (GD, 모든 점)",
    # -- run labels of the lessons -----------------------------------------
    "SGD": "SGD",
    "Momentum": "Momentum",
    "Nesterov": "Nesterov",
    "AdaGrad": "AdaGrad",
    "RMSprop": "RMSprop",
    "Adam": "Adam",
    "SGD η=0.1": "SGD η=0.1",
    "SGD η=0.9": "SGD η=0.9",
    "SGD η=1.0": "SGD η=1.0",
    "SGD η=1.5": "SGD η=1.5",
    "Momentum μ=0.5": "Momentum μ=0.5",
    "Momentum μ=0.9": "Momentum μ=0.9",
    "Momentum μ=0.99": "Momentum μ=0.99",
    "Adam (corrected)": "Adam (편향 보정)",
    "Adam (no correction)": "Adam (보정 없음)",
    "GD (100 points)": "GD (점 100개)",
    "SGD (1 point)": "SGD (점 1개)",
    "Minibatch (10 points)": "미니배치 (점 10개)",
    # -- lessons -----------------------------------------------------------
    "The book's figure: four optimizers on x²/20 + y²": "책의 그림: x²/20 + y² 위의 네 가지 최적화 기법",
    "SGD zig-zags across the steep y direction while crawling along x; "
    "Momentum rolls like a ball, AdaGrad slows down as its steps shrink, "
    "Adam moves like a damped ball.":
        "SGD는 가파른 y 방향으로 지그재그하며 x 방향으로는 느리게 기어갑니다. "
        "Momentum은 공처럼 굴러가고, AdaGrad는 보폭이 줄면서 느려지며, "
        "Adam은 마찰을 받는 공처럼 움직입니다.",
    "SGD's zig-zags: the gradient points across the valley, not along it (turn on View → Gradient arrows).":
        "SGD의 지그재그: 기울기는 골짜기를 따라가지 않고 가로질러 향합니다 (보기 → 기울기 화살표를 켜 보세요).",
    "Momentum overshoots": "모멘텀은 최솟값을 지나친다",
    "With μ = 0.9 the velocity carries the point past the minimum and back; "
    "μ = 0.99 keeps swinging for a long time. Plain gradient descent never overshoots here.":
        "μ = 0.9이면 속도 때문에 점이 최솟값을 지나쳤다가 되돌아오고, "
        "μ = 0.99이면 오랫동안 계속 흔들립니다. 일반 경사 하강법은 여기서 지나치지 않습니다.",
    "Watch the velocity v in the numbers panel change sign after each pass over the minimum.":
        "최솟값을 지날 때마다 계산 값 패널의 속도 v의 부호가 바뀌는 것을 보세요.",
    "Nesterov vs momentum on an ill-conditioned valley": "조건수가 나쁜 골짜기에서 Nesterov와 모멘텀 비교",
    "Same η and μ: Nesterov's look-ahead gradient brakes before the valley wall, "
    "so it oscillates less than classical momentum and settles sooner.":
        "η와 μ가 같아도 Nesterov는 앞을 내다본 기울기로 골짜기 벽에 닿기 전에 제동을 걸어 "
        "고전적인 모멘텀보다 덜 진동하고 더 빨리 자리를 잡습니다.",
    "Compare the swings across the narrow direction in the first 20 steps.":
        "처음 20단계 동안 좁은 방향으로 흔들리는 폭을 비교하세요.",
    "Escaping a saddle point": "안장점 탈출",
    "Starting almost exactly on the ridge of x² − y², the gradient along y is tiny: "
    "SGD lingers at the saddle, momentum escapes later, the adaptive methods "
    "rescale the tiny gradient and leave at once.":
        "x² − y²의 능선 바로 위에서 출발하면 y 방향 기울기가 아주 작습니다. "
        "SGD는 안장점에 머무르고, 모멘텀은 늦게 빠져나가며, 적응형 기법은 "
        "작은 기울기의 크기를 다시 맞춰 곧바로 벗어납니다.",
    "‖g‖ near (0, 0) is almost zero, yet the RMSprop and Adam steps taken are not.":
        "(0, 0) 근처에서 ‖g‖는 거의 0이지만 RMSprop과 Adam의 이동량은 그렇지 않습니다.",
    "AdaGrad stalls on Rosenbrock, RMSprop keeps going": "로젠브록에서 AdaGrad는 멈추고 RMSprop은 계속 간다",
    "AdaGrad's h only grows, so its steps shrink for ever and it stops in the curved valley; "
    "RMSprop forgets old gradients (ρ = 0.99) and keeps moving towards (1, 1).":
        "AdaGrad의 h는 커지기만 해서 보폭이 끝없이 줄어들고 굽은 골짜기에서 멈춥니다. "
        "RMSprop은 오래된 기울기를 잊어버려(ρ = 0.99) (1, 1)을 향해 계속 나아갑니다.",
    "Watch h grow in the numbers panel while AdaGrad's step taken shrinks to nothing.":
        "계산 값 패널에서 h가 커지는 동안 AdaGrad의 이동량이 0으로 줄어드는 것을 보세요.",
    "Adam with and without bias correction": "편향 보정이 있는 Adam과 없는 Adam",
    "m and v start at zero. Without bias correction the first steps are "
    "the wrong size: with β₂ = 0.999, v is far too small and the early steps are "
    "about (1−β₁)/√(1−β₂) ≈ 3 times η, so the run lurches past the valley.":
        "m과 v는 0에서 시작합니다. 편향 보정이 없으면 처음 몇 단계의 보폭이 잘못됩니다. "
        "β₂ = 0.999이면 v가 너무 작아서 초반 보폭이 η의 약 (1−β₁)/√(1−β₂) ≈ 3배가 되고, "
        "그래서 골짜기를 훌쩍 넘어가 버립니다.",
    "Compare m with m̂ and v with v̂ at steps 1–5.": "1–5단계에서 m과 m̂, v와 v̂를 비교하세요.",
    "Learning rate too large": "너무 큰 학습률",
    "On the bowl, gradient descent along y multiplies y by (1 − 2η) each step: "
    "η = 0.1 creeps, η = 0.9 zig-zags in, η = 1.0 bounces for ever, η = 1.5 diverges.":
        "그릇 모양 곡면에서 경사 하강법은 단계마다 y에 (1 − 2η)를 곱합니다. "
        "η = 0.1은 느리게 다가가고, η = 0.9는 지그재그로 들어가며, η = 1.0은 끝없이 튕기고, η = 1.5는 발산합니다.",
    "The η = 1.5 run is labelled 'diverged at step k'; the others are undisturbed.":
        "η = 1.5인 실행에는 'k단계에서 발산' 표시가 붙고, 나머지는 영향을 받지 않습니다.",
    "GD vs SGD vs minibatch on least squares": "최소제곱 문제에서 GD, SGD, 미니배치 비교",
    "Fitting a line y = w·x + b to 100 noisy points: gradient descent (all points) goes "
    "straight down; SGD (1 point per step) wanders with real sampling noise; a minibatch "
    "of 10 is in between.":
        "잡음이 있는 점 100개에 직선 y = w·x + b를 맞춥니다. 경사 하강법(모든 점)은 곧장 내려가고, "
        "SGD(단계마다 점 1개)는 실제 표본 잡음 때문에 이리저리 헤매며, 점 10개의 미니배치는 그 중간입니다.",
    "Each SGD step costs 1/100 of a GD step: compare where they are per unit of work.":
        "SGD 한 단계의 계산량은 GD 한 단계의 1/100입니다. 같은 계산량에서 어디까지 갔는지 비교하세요.",
    # -- training presets (title, what it shows) ----------------------------
    "Optimizer comparison on MNIST": "MNIST에서 최적화 기법 비교",
    "SGD is slowest; Momentum, AdaGrad and Adam fall much faster (AdaGrad slightly fastest in the book); "
    "RMSprop added beside them (with η 0.001: at the book's 0.01 it overshoots on this net).":
        "SGD가 가장 느리고, Momentum·AdaGrad·Adam은 손실이 훨씬 빨리 줄어듭니다(책에서는 AdaGrad가 조금 더 빠름). "
        "RMSprop도 함께 비교합니다(학습률 η 0.001: 책의 0.01로는 이 신경망에서 너무 크게 움직입니다).",
    "Weight initialisation on MNIST": "MNIST에서 가중치 초깃값 비교",
    "std 0.01 barely learns; Xavier learns; He learns fastest with ReLU.":
        "표준편차 0.01은 거의 학습하지 못하고, Xavier는 학습하며, ReLU에서는 He 초깃값이 가장 빨리 학습합니다.",
    "Activation histograms": "활성화값 히스토그램",
    "With std 1 sigmoid outputs pile up at 0 and 1 (vanishing gradients); std 0.01 collapses them to 0.5 "
    "(no expressiveness); Xavier (sigmoid, tanh) and He (ReLU) keep them spread in every layer.":
        "표준편차 1이면 시그모이드 출력이 0과 1에 몰리고(기울기 소실), 표준편차 0.01이면 0.5에 모입니다"
        "(표현력 부족). Xavier(시그모이드, tanh)와 He(ReLU)는 모든 층에서 고르게 퍼뜨립니다.",
    "Batch normalisation": "배치 정규화",
    "With batch norm the net learns faster and almost whatever the initial weight scale; "
    "without it, many scales never leave 10 %.":
        "배치 정규화를 쓰면 초깃값의 크기와 거의 상관없이 더 빨리 학습합니다. "
        "쓰지 않으면 많은 경우 정확도가 10 %에서 벗어나지 못합니다.",
    "Overfitting": "오버피팅",
    "On 300 training images a 7-layer net reaches 100 % train accuracy while test accuracy stays far below: "
    "a wide train–test gap.":
        "훈련 이미지 300장으로 7층 신경망을 학습하면 훈련 정확도는 100 %에 이르지만 시험 정확도는 "
        "훨씬 낮습니다. 훈련–시험 차이가 큽니다.",
    "Weight decay": "가중치 감소",
    "λ = 0.1 shrinks the train–test gap of the overfitting lesson.":
        "λ = 0.1이면 오버피팅 수업의 훈련–시험 차이가 줄어듭니다.",
    "Dropout": "드롭아웃",
    "Dropout (p = 0.2) narrows the gap too, and the fit is slower.":
        "드롭아웃(p = 0.2)도 차이를 줄이며, 학습은 더 느려집니다.",
    "Hyperparameter random search": "하이퍼파라미터 무작위 탐색",
    "Good runs cluster around η ≈ 1e-3…1e-2 and λ ≈ 1e-8…1e-6; narrow the ranges there and search again.":
        "좋은 결과는 η ≈ 1e-3…1e-2, λ ≈ 1e-8…1e-6 근처에 모입니다. 그 범위로 좁혀서 다시 탐색하세요.",
    "GD vs SGD vs minibatch": "GD, SGD, 미니배치 비교",
    "On the same least-squares data, full-batch GD walks smoothly, SGD (one point per step) jitters around "
    "the minimum, minibatches sit in between: noise against cost per step.":
        "같은 최소제곱 데이터에서 전체 배치 GD는 부드럽게 내려가고, SGD(단계마다 점 하나)는 최솟값 주위에서 "
        "떨리며, 미니배치는 그 중간입니다. 잡음과 단계당 계산량의 맞바꿈입니다.",
    "Learning-rate schedules": "학습률 스케줄",
    "Decay slows the steps as training goes on and lowers the final loss plateau; warm-up starts gently; "
    "reduce-on-plateau cuts η when the loss stalls.":
        "감쇠는 학습이 진행될수록 보폭을 줄여 최종 손실 수준을 낮추고, 워밍업은 천천히 시작하며, "
        "정체 시 감소(reduce-on-plateau)는 손실이 멈추면 η를 줄입니다.",
    # -- training lab: pane -------------------------------------------------
    "▶ Start": "▶ 시작",
    "Train one run with the settings on the right (F5)": "오른쪽 설정으로 한 번 학습합니다 (F5)",
    "Pause": "일시정지",
    "Resume": "계속",
    "■ Stop": "■ 정지",
    "Experiment": "실험",
    "The experiments of chapter 6": "6장의 실험",
    "Quick": "빠르게",
    "A short version of the experiment for a demo": "시연용으로 짧게 줄인 실험",
    "Run experiment": "실험 실행",
    "Loss CSV…": "손실 CSV…",
    "Loss plot (PNG or SVG)…": "손실 그래프 (PNG 또는 SVG)…",
    "Accuracy plot (PNG or SVG)…": "정확도 그래프 (PNG 또는 SVG)…",
    "Learning-rate plot (PNG or SVG)…": "학습률 그래프 (PNG 또는 SVG)…",
    "Gradient-norm plot (PNG or SVG)…": "기울기 노름 그래프 (PNG 또는 SVG)…",
    "Export loss CSV": "손실 CSV 내보내기",
    "Export plot": "그래프 내보내기",
    "PNG image (*.png);;SVG drawing (*.svg)": "PNG 이미지 (*.png);;SVG 그림 (*.svg)",
    "Open the surface lab": "곡면 실험실 열기",
    "Curves": "곡선",
    "Gradients per layer": "층별 기울기",
    "Random search": "무작위 탐색",
    "Ready": "준비됨",
    "Loading data…": "데이터를 불러오는 중…",
    "Stopping…": "정지하는 중…",
    "{rate} it/s · ETA {eta}": "초당 {rate}회 반복 · 남은 시간 {eta}",
    "run {i}/{n} “{label}”: ": "실행 {i}/{n} “{label}”: ",
    "Running — {which}iteration {it}": "학습 중 — {which}반복 {it}",
    "Paused — {which}iteration {it}": "일시정지 — {which}반복 {it}",
    "Stopped — {which}iteration {it}": "정지됨 — {which}반복 {it}",
    "Diverged at step {k} (“{label}”: the loss became NaN or infinite; try a smaller η)":
        "{k}단계에서 발산 (“{label}”: 손실이 NaN 또는 무한대가 되었습니다. 더 작은 η로 해 보세요)",
    "Finished — {n} run(s)": "완료 — 실행 {n}개",
    "Error — see the message below": "오류 — 아래 메시지를 보세요",
    "Cannot start: {reason}": "시작할 수 없습니다: {reason}",
    "Nothing to export yet: train a run first.": "아직 내보낼 것이 없습니다. 먼저 학습을 실행하세요.",
    "Download failed: {msg}": "내려받기 실패: {msg}",
    "Training failed: {msg}": "학습 실패: {msg}",
    "Data: {source}": "데이터: {source}",
    "Data: {source} — training on {n:,} images": "데이터: {source} — 이미지 {n:,}장으로 훈련",
    ", {n:,} held out for validation": ", {n:,}장은 검증용으로 따로 둠",
    ". This is the bundled sample, not the full MNIST.": ". 이것은 함께 제공되는 샘플이며, 전체 MNIST가 아닙니다.",
    "bundled sample (8,000 train / 2,000 test images from the official MNIST test set)":
        "함께 제공되는 샘플 (공식 MNIST 시험 세트에서 훈련 8,000장 / 시험 2,000장)",
    "look for": "살펴볼 점",
    "This lesson runs on the least-squares surface in the surface lab.":
        "이 수업은 곡면 실험실의 최소제곱 곡면에서 진행합니다.",
    "Choose the folder that holds the MNIST files, or use the bundled sample.":
        "MNIST 파일이 있는 폴더를 고르거나, 함께 제공되는 샘플을 사용하세요.",
    # -- training lab: curves and views --------------------------------------
    "Training loss": "훈련 손실",
    "loss": "손실",
    "iteration": "반복",
    "epoch": "에포크",
    "Accuracy": "정확도",
    "f is not defined at ({x}, {y}): choose another start.": "({x}, {y})에서 f가 정의되지 않습니다: 다른 시작점을 고르세요.",
    "f is not defined at the start ({x}, {y}): no step was taken.": "시작점 ({x}, {y})에서 f가 정의되지 않아 한 걸음도 가지 못했습니다.",
    "iteration — train - - -, validation ···, test ——": "반복 — 훈련 - - -, 검증 ···, 시험 ——",
    "accuracy": "정확도",
    "Learning rate η": "학습률 η",
    "η": "η",
    "λ": "λ",
    "Untick a run to hide its curves": "체크를 해제하면 그 실행의 곡선이 숨겨집니다",
    "Debiased moving average of the loss; 0 = raw": "손실의 편향 보정 이동 평균, 0 = 원래 값",
    "Smoothing": "평활화",
    "Runs (tick to show)": "실행 (체크하면 표시)",
    "loss {v:.3g}": "손실 {v:.3g}",
    "test {v:.1%}": "시험 {v:.1%}",
    "stopped": "정지됨",
    "finished": "완료",
    "diverged": "발산",
    "Choose a file name ending in .png or .svg": ".png 또는 .svg로 끝나는 파일 이름을 고르세요",
    "Gradient norm per layer ‖dW‖ (latest run)": "층별 기울기 노름 ‖dW‖ (마지막 실행)",
    "‖dW‖": "‖dW‖",
    "Layers whose gradient is orders of magnitude smaller than the others barely learn: "
    "vanishing gradients (try sigmoid with std 1 or 0.01).":
        "기울기가 다른 층보다 몇 자릿수나 작은 층은 거의 학습하지 못합니다. 기울기 소실입니다 "
        "(시그모이드에 표준편차 1이나 0.01로 해 보세요).",
    "Follow the training settings": "학습 설정 따르기",
    "layer {k}": "{k}층",
    "std {v}": "표준편차 {v}",
    "{act}, init {init}: forward pass of 1000 random inputs through 5 layers of 100 units. "
    "Std of each layer's outputs: {stds}. Outputs piled at the ends mean vanishing gradients; "
    "all in one spike means every unit says the same thing.":
        "{act}, 초기화 {init}: 무작위 입력 1000개를 뉴런 100개짜리 층 5개에 순전파했습니다. "
        "층별 출력의 표준편차: {stds}. 출력이 양 끝에 몰리면 기울기 소실이고, "
        "한곳에 뾰족하게 모이면 모든 뉴런이 같은 값을 낸다는 뜻입니다.",
    "run": "실행",
    "val acc": "검증 정확도",
    "train acc": "훈련 정확도",
    "test acc": "시험 정확도",
    "status": "상태",
    "Validation accuracy over η × λ": "η × λ에 따른 검증 정확도",
    "η (learning rate)": "η (학습률)",
    "Best runs: validation —— , train - - -": "상위 실행: 검증 —— , 훈련 - - -",
    "Good runs cluster in one corner of the η × λ plane: narrow the ranges there and search again. "
    "Click a column title to sort.":
        "좋은 실행은 η × λ 평면의 한쪽 구석에 모입니다. 그 범위로 좁혀서 다시 탐색하세요. "
        "열 제목을 클릭하면 정렬됩니다.",
    # -- training lab: download ----------------------------------------------
    "Downloading MNIST…": "MNIST 내려받는 중…",
    "Download MNIST": "MNIST 내려받기",
    "Cancelling…": "취소하는 중…",
    "{file}: {done} of {total} at {rate}/s": "{file}: {total} 중 {done} (초당 {rate})",
    # -- training lab: settings dock ----------------------------------------
    "Training settings": "학습 설정",
    "Training is running: η changes now; other settings apply to the next run.":
        "학습 중입니다. η는 바로 바뀌고, 다른 설정은 다음 실행부터 적용됩니다.",
    "Data": "데이터",
    "Bundled sample (8,000 + 2,000 images)": "제공 샘플 (8,000 + 2,000장)",
    "Full MNIST from a folder": "폴더의 전체 MNIST",
    "folder with the 4 MNIST files": "MNIST 파일 4개가 있는 폴더",
    "Browse…": "찾아보기…",
    "Download MNIST…": "MNIST 내려받기…",
    "Download the 60,000 + 10,000 images (about 11 MB) into the cache":
        "이미지 60,000 + 10,000장(약 11 MB)을 캐시에 내려받습니다",
    "Folder with the MNIST files": "MNIST 파일이 있는 폴더",
    "Full MNIST: 60,000 training and 10,000 test images, from the folder above.":
        "전체 MNIST: 위 폴더의 훈련 이미지 60,000장과 시험 이미지 10,000장.",
    "The bundled sample: 8,000 training and 2,000 test images taken from MNIST's test set — "
    "not the full MNIST. Accuracies are a little lower.":
        "함께 제공되는 샘플: MNIST 시험 세트에서 가져온 훈련 이미지 8,000장과 시험 이미지 2,000장입니다 — "
        "전체 MNIST가 아닙니다. 정확도가 조금 낮게 나옵니다.",
    "Optimizer": "최적화 기법",
    "Learning rate η: changes a running run at once": "학습률 η: 학습 중인 실행에도 바로 적용됩니다",
    "η schedule": "η 스케줄",
    "constant": "일정",
    "step decay": "계단식 감소",
    "exponential decay": "지수 감소",
    "1/t decay": "1/t 감소",
    "cosine": "코사인",
    "linear warm-up": "선형 워밍업",
    "reduce on plateau": "정체 시 감소",
    "Network": "신경망",
    "Weight init": "가중치 초기화",
    "zeros": "0으로",
    "std 0.01": "표준편차 0.01",
    "std 1": "표준편차 1",
    "Xavier": "Xavier",
    "He": "He",
    "custom std": "표준편차 직접 입력",
    "std": "표준편차",
    "Activation": "활성화 함수",
    "Hidden layers": "은닉층",
    "Sizes of the hidden layers, e.g. 100,100,100,100": "은닉층의 크기, 예: 100,100,100,100",
    "hidden layers: whole numbers separated by commas, e.g. 100,100,100":
        "은닉층: 쉼표로 구분한 정수, 예: 100,100,100",
    "hidden layers: 1 to 20 sizes from 1 to 4096": "은닉층: 1에서 4096 사이의 크기를 1~20개",
    "Dropout p": "드롭아웃 p",
    "dropout p": "드롭아웃 p",
    "Weight decay λ": "가중치 감소 λ",
    "Training": "훈련",
    "Batch size": "배치 크기",
    "iterations": "반복",
    "epochs": "에포크",
    "length": "길이",
    "Train for": "학습 길이",
    "all images": "전체 이미지",
    "Train on the first N images only (the overfitting lessons use 300); 0 = all":
        "처음 N장만으로 훈련합니다 (오버피팅 수업은 300장). 0 = 전체",
    "Training images": "훈련 이미지 수",
    "Validation share": "검증 비율",
    "validation share": "검증 비율",
    "once per epoch": "에포크마다 한 번",
    "Measure accuracy every N iterations; 0 = once per epoch (the book)":
        "N회 반복마다 정확도를 잽니다. 0 = 에포크마다 한 번 (책과 같음)",
    "Evaluate every": "평가 간격",
    "Seed": "시드",
    "{what} must be from {low} to {high}": "{what}은(는) {low}에서 {high} 사이여야 합니다",
    "a field holds an invalid value": "잘못된 값이 입력된 칸이 있습니다",
    "iterations must be a whole number": "반복 횟수는 정수여야 합니다",
    "Cannot start": "시작할 수 없음",
    "Next run": "다음 실행",
    "{n} epochs": "{n} 에포크",
    "{n} iterations": "{n}회 반복",
    "schedule {s}": "스케줄 {s}",
    "init": "초기화",
    "batch norm": "배치 정규화",
    "no batch norm": "배치 정규화 없음",
    "dropout p={p}": "드롭아웃 p={p}",
    "no dropout": "드롭아웃 없음",
    "λ={w}": "λ={w}",
    "no weight decay": "가중치 감소 없음",
    "batch {b}, {length}": "배치 {b}, {length}",
    "first {n:,} images": "처음 {n:,}장",
    "all training images": "훈련 이미지 전체",
    "{p:.0%} held out for validation": "{p:.0%}는 검증용",
    "seed {s}": "시드 {s}",
    # -- help and about ----------------------------------------------------
    "For each lesson: what it shows, and what to point at.": "수업마다 무엇을 보여 주는지, 어디를 가리키면 좋은지 정리했습니다.",
    "Space and the arrow keys work when the surface lab has the focus; in a text field they type.":
        "Space와 화살표 키는 곡면 실험실에 포커스가 있을 때 동작합니다. 입력란에서는 글자가 입력됩니다.",
    "Play or pause the animation": "애니메이션 재생 또는 일시정지",
    "One step forward / back": "한 단계 앞으로 / 뒤로",
    "Open a scenario": "시나리오 열기",
    "Save the scenario": "시나리오 저장",
    "Export a picture, trajectories or an animation": "그림, 궤적, 애니메이션 내보내기",
    "Larger / smaller text and lines": "글자와 선 크게 / 작게",
    "Show or hide the 2-D map / 3-D surface": "2차원 지도 / 3차원 곡면 보이기·숨기기",
    "Gradient / velocity arrows": "기울기 / 속도 화살표",
    "Reset the 3-D view": "3차원 보기 초기화",
    "Watch neural-network optimizers work: SGD, Momentum, Nesterov, AdaGrad, RMSprop, Adam and "
    "AdamW on loss surfaces, step by step, with the numbers behind each step.":
        "신경망 최적화 기법이 움직이는 모습을 봅니다. SGD, Momentum, Nesterov, AdaGrad, RMSprop, Adam, "
        "AdamW가 손실 함수 곡면 위를 한 단계씩 이동하고, 단계마다 계산된 값을 함께 보여 줍니다.",
    "After the optimizers of “Deep Learning from Scratch”, ch. 6.": "『밑바닥부터 시작하는 딥러닝』 6장의 최적화 기법을 바탕으로 했습니다.",

    # -- messages composed by the core, translated by i18n.tr_message (templates) --
    "col {n}: {reason}": "{n}번째 글자: {reason}",
    "division by zero": "0으로 나눕니다",
    "division by zero (0 to a negative power)": "0으로 나눕니다 (0의 음수 거듭제곱)",
    "number too large": "수가 너무 큽니다",
    "{what} is not a real number": "{what}은(는) 실수가 아닙니다",
    "this part": "이 부분",
    "operator '{symbol}' is not supported": "연산자 '{symbol}'은(는) 쓸 수 없습니다",
    "operator '{symbol}' is not supported; use + - * / **":
        "연산자 '{symbol}'은(는) 쓸 수 없습니다. + - * / ** 를 쓰세요",
    "operator '{symbol}' is not supported; use + - * / **; write ** for powers":
        "연산자 '{symbol}'은(는) 쓸 수 없습니다. + - * / ** 를 쓰세요. 거듭제곱은 ** 로 씁니다",
    "'{name}' is not allowed in a formula": "수식에 '{name}'은(는) 쓸 수 없습니다",
    "attribute access ('.{attr}') is not allowed": "속성 접근('.{attr}')은 쓸 수 없습니다",
    "attribute access ('.') is not allowed": "속성 접근('.')은 쓸 수 없습니다",
    "indexing ('[...]') is not allowed": "인덱싱('[...]')은 쓸 수 없습니다",
    "'lambda' is not allowed": "'lambda'는 쓸 수 없습니다",
    "conditional expressions ('... if ... else ...') are not allowed":
        "조건식('... if ... else ...')은 쓸 수 없습니다",
    "comparisons are not allowed": "비교 연산은 쓸 수 없습니다",
    "'and'/'or' are not allowed": "'and'/'or'는 쓸 수 없습니다",
    "lists ('[...]') are not allowed": "리스트('[...]')는 쓸 수 없습니다",
    "a comma makes a tuple; a formula is a single expression": "쉼표는 튜플을 만듭니다. 수식은 식 하나여야 합니다",
    "sets ('{...}') are not allowed": "집합('{...}')은 쓸 수 없습니다",
    "dictionaries ('{...: ...}') are not allowed": "딕셔너리('{...: ...}')는 쓸 수 없습니다",
    "comprehensions are not allowed": "컴프리헨션은 쓸 수 없습니다",
    "generator expressions are not allowed": "제너레이터 식은 쓸 수 없습니다",
    "text (f-strings) is not allowed": "문자열(f-string)은 쓸 수 없습니다",
    "assignments (':=') are not allowed": "대입(':=')은 쓸 수 없습니다",
    "'*' unpacking is not allowed": "'*' 풀기는 쓸 수 없습니다",
    "'await' is not allowed": "'await'는 쓸 수 없습니다",
    "'yield' is not allowed": "'yield'는 쓸 수 없습니다",
    "slices are not allowed": "슬라이스는 쓸 수 없습니다",
    "complex numbers (like 1j) are not allowed": "복소수(1j 같은)는 쓸 수 없습니다",
    "text in quotes is not allowed": "따옴표 안의 글자는 쓸 수 없습니다",
    "'{value}' is not allowed; use numbers, x, y, pi, e": "'{value}'은(는) 쓸 수 없습니다. 수, x, y, pi, e 를 쓰세요",
    "'{name}' is a function and needs an argument: write {name}(x)":
        "'{name}'은(는) 함수이므로 인수가 필요합니다. {name}(x) 처럼 쓰세요",
    "write {number}*{name} to multiply, not {number}{name}": "곱하기는 {number}{name}이 아니라 {number}*{name} 로 씁니다",
    "log(0) is −∞, so f is not defined; keep the argument of log above 0":
        "log(0)은 −∞이므로 f가 정의되지 않습니다. log 안의 값이 0보다 크게 하세요",
    "use x, y, pi, e and the functions {functions}": "x, y, pi, e 와 함수 {functions} 를 쓰세요",
    "unknown name '{name}'; {help}": "모르는 이름 '{name}'. {help}",
    "only named functions can be called; {help}": "이름 있는 함수만 부를 수 있습니다. {help}",
    "'{name}' is not a function; write {name}*(...) to multiply":
        "'{name}'은(는) 함수가 아닙니다. 곱하려면 {name}*(...) 처럼 쓰세요",
    "unknown function '{name}'; {help}": "모르는 함수 '{name}'. {help}",
    "{name}() takes no keyword arguments": "{name}()에는 키워드 인수를 줄 수 없습니다",
    "{name}() takes exactly one argument ({n} given)": "{name}()은(는) 인수를 정확히 하나 받습니다 ({n}개를 줌)",
    "formula is longer than {n} characters": "수식이 {n}자보다 깁니다",
    "unexpected control character {ch}": "뜻밖의 제어 문자 {ch}",
    "empty formula; type an expression in x and y, e.g. x**2 + y**2":
        "수식이 비어 있습니다. x, y 의 식을 입력하세요. 예: x**2 + y**2",
    "formula is nested too deeply": "수식이 너무 깊게 중첩되었습니다",
    "formula is nested too deeply (more than {n} levels)": "수식이 너무 깊게 중첩되었습니다 ({n}단계 초과)",
    "cannot read the formula: {reason}": "수식을 읽을 수 없습니다: {reason}",
    # Python's own syntax messages, as the formula parser passes them on
    "invalid syntax": "문법이 올바르지 않습니다",
    "too many nested parentheses": "괄호가 너무 많이 중첩되었습니다",
    "'{c}' was never closed": "'{c}'이(가) 닫히지 않았습니다",
    "unmatched '{c}'": "짝이 없는 '{c}'",
    "invalid decimal literal": "올바르지 않은 숫자입니다 (곱하기는 * 로 씁니다: 2*x)",
    "closing parenthesis '{a}' does not match opening parenthesis '{b}'":
        "닫는 괄호 '{a}'이(가) 여는 괄호 '{b}'와 맞지 않습니다",
    # data sources
    "full MNIST from {where}": "{where}의 전체 MNIST",
    "MNIST-format files from {where} (not the official MNIST: sha256 differs)":
        "{where}의 MNIST 형식 파일 (공식 MNIST가 아님: sha256이 다릅니다)",
    # hyperparameters and training settings
    "{opt}: {key} must be {what}, got {value}": "{opt}: {key} 값은 {what}여야 합니다. 입력: {value}",
    "{key} must be {what}, got {value}": "{key} 값은 {what}여야 합니다. 입력: {value}",
    "a number > 0 and ≤ 1e6": "0보다 크고 1e6 이하인 수",
    "a number in [0, 1)": "[0, 1) 범위의 수",
    "a number > 0 and < 1": "0보다 크고 1보다 작은 수",
    "a number ≥ 0 and < 1e3": "0 이상 1e3 미만인 수",
    "{opt}: bias_correction must be true or false, got {value}":
        "{opt}: bias_correction은 참 또는 거짓이어야 합니다. 입력: {value}",
    "{name} must be a whole number from {low} to {high}, got {value}":
        "{name} 값은 {low}부터 {high}까지의 정수여야 합니다. 입력: {value}",
    "{name} must be a number from {low} to {high}, got {value}":
        "{name} 값은 {low}부터 {high}까지의 수여야 합니다. 입력: {value}",
    "hidden must be 1 to 20 layer sizes between 1 and 4096, got {sizes}":
        "은닉층은 크기 1~4096인 층 1~20개여야 합니다. 입력: {sizes}",
    "give either iterations or epochs": "반복 횟수나 에포크 수 중 하나를 주세요",
    # data files, scenarios, training settings and schedules (core messages)
    # - data files (optilab.data: idx, sources, download); advice after "; " is its own entry
    "{path}: file not found; {advice}": "{path}: 파일을 찾을 수 없습니다. {advice}",
    "{path}: is a folder, not a file; {advice}": "{path}: 파일이 아니라 폴더입니다. {advice}",
    "{path}: cannot read the file ({reason}); {advice}": "{path}: 파일을 읽을 수 없습니다 ({reason}). {advice}",
    "{path}: corrupt gzip data ({reason}); {advice}": "{path}: gzip 데이터가 손상되었습니다 ({reason}). {advice}",
    "{path}: not a gzip file (the name ends in .gz but the content is not gzip-compressed); {advice}":
        "{path}: gzip 파일이 아닙니다 (이름은 .gz로 끝나지만 내용은 gzip으로 압축되어 있지 않습니다). {advice}",
    "{path}: too short to be an IDX file ({size} bytes); {advice}":
        "{path}: IDX 파일이라기에는 너무 짧습니다 ({size}바이트). {advice}",
    "{path}: wrong magic number {magic}, expected an IDX file "
    "(0x00000801 for labels or 0x00000803 for images); {advice}":
        "{path}: 매직 넘버 {magic}이(가) 맞지 않습니다. IDX 파일이어야 합니다 "
        "(레이블은 0x00000801, 이미지는 0x00000803). {advice}",
    "{path}: truncated: the header needs {need} bytes, file has {size}; {advice}":
        "{path}: 파일이 잘렸습니다. 헤더에 {need}바이트가 필요한데 파일은 {size}바이트입니다. {advice}",
    "{path}: wrong dimensions: the header declares an empty array ({shape}); {advice}":
        "{path}: 차원이 잘못되었습니다. 헤더가 빈 배열({shape})을 선언합니다. {advice}",
    "{path}: truncated: header says {expected} bytes of data, file has {actual}; {advice}":
        "{path}: 파일이 잘렸습니다. 헤더에 따르면 데이터가 {expected}바이트인데 파일에는 {actual}바이트만 있습니다. {advice}",
    "{path}: {extra} unexpected trailing bytes: header says {expected} bytes of data, file has {actual}; {advice}":
        "{path}: 끝에 예상하지 못한 {extra}바이트가 더 있습니다. 헤더에 따르면 데이터가 {expected}바이트인데 "
        "파일에는 {actual}바이트가 있습니다. {advice}",
    "{path}: holds labels (1-D, magic 0x00000801), expected images (magic 0x00000803); {advice}":
        "{path}: 이미지(매직 0x00000803)가 있어야 하는데 레이블(1차원, 매직 0x00000801)이 들어 있습니다. {advice}",
    "{path}: holds images (3-D, magic 0x00000803), expected labels (magic 0x00000801); {advice}":
        "{path}: 레이블(매직 0x00000801)이 있어야 하는데 이미지(3차원, 매직 0x00000803)가 들어 있습니다. {advice}",
    "{path}: wrong dimensions: images are {rows}×{cols} pixels, expected 28×28; {advice}":
        "{path}: 차원이 잘못되었습니다. 이미지가 {rows}×{cols} 픽셀인데 28×28이어야 합니다. {advice}",
    "{images} holds {n_images} images but {labels} holds {n_labels} labels; "
    "use the images and labels of the same set (train with train, t10k with t10k)":
        "{images}에는 이미지가 {n_images}개 있지만 {labels}에는 레이블이 {n_labels}개 있습니다. "
        "같은 세트의 이미지와 레이블을 쓰세요 (train은 train과, t10k는 t10k와)",
    "{path}: label {label} found, MNIST labels are 0-9; {advice}":
        "{path}: 레이블 {label}이(가) 있습니다. MNIST 레이블은 0~9입니다. {advice}",
    "{path}: no such folder; {advice}": "{path}: 그런 폴더가 없습니다. {advice}",
    "{path}: missing; {advice}": "{path}: 파일이 없습니다. {advice}",
    "{path}: sha256 mismatch: the file is damaged or not the official MNIST file; {advice}":
        "{path}: sha256이 맞지 않습니다. 파일이 손상되었거나 공식 MNIST 파일이 아닙니다. {advice}",
    "{key} must be between {low} and {high}, got {value}": "{key} 값은 {low}~{high} 범위에 있어야 합니다. 입력: {value}",
    "{folder}: cannot keep a fast-loading copy of MNIST ({reason}); loading works but stays slow":
        "{folder}: 빨리 읽을 수 있는 MNIST 사본을 저장할 수 없습니다 ({reason}). 읽기는 되지만 계속 느립니다",
    # what to do (the part after "; ")
    "run 'optilab mnist download' to fetch a fresh copy": "'optilab mnist download'를 실행해 새로 받으세요",
    "check the path, or run 'optilab mnist download' to fetch a fresh copy":
        "경로를 확인하거나 'optilab mnist download'를 실행해 새로 받으세요",
    "the file is damaged; run 'optilab mnist download' to fetch a fresh copy":
        "파일이 손상되었습니다. 'optilab mnist download'를 실행해 새로 받으세요",
    "this is not an MNIST file; run 'optilab mnist download' to fetch a fresh copy":
        "MNIST 파일이 아닙니다. 'optilab mnist download'를 실행해 새로 받으세요",
    "delete it and run 'optilab mnist download' to fetch a fresh copy":
        "이 파일을 지우고 'optilab mnist download'를 실행해 새로 받으세요",
    "give the path of an IDX file": "IDX 파일의 경로를 주세요",
    "check its permissions": "파일 권한을 확인하세요",
    "pass the images file first and the labels file second": "이미지 파일을 먼저, 레이블 파일을 두 번째로 주세요",
    "use the MNIST images file": "MNIST 이미지 파일을 쓰세요",
    "give a folder holding the four MNIST files, or run 'optilab mnist download'":
        "MNIST 파일 네 개가 든 폴더를 주거나 'optilab mnist download'를 실행하세요",
    "the folder must hold {files}; copy it there or run 'optilab mnist download'":
        "폴더에 {files}이(가) 있어야 합니다. 파일을 그곳에 복사하거나 'optilab mnist download'를 실행하세요",
    # where the data came from (inside "full MNIST from {where}")
    "{folder} (from OPTILAB_MNIST_DIR)": "{folder} (OPTILAB_MNIST_DIR에서 지정)",
    "the download cache {folder}": "내려받기 캐시 {folder}",
    # downloads; the reasons of each mirror are joined by "; "
    "no mirror to download MNIST from; give one with --mirror URL":
        "MNIST를 내려받을 미러가 없습니다. --mirror URL 로 하나를 지정하세요",
    "download of {file} cancelled; nothing was kept, run it again to resume":
        "{file} 내려받기를 취소했습니다. 남긴 파일은 없으며, 다시 실행하면 이어서 받습니다",
    "{folder}: cannot create the folder ({reason}); choose a folder you can write to":
        "{folder}: 폴더를 만들 수 없습니다 ({reason}). 쓰기 권한이 있는 폴더를 고르세요",
    "{path}: cannot write ({reason}); free some space or choose another folder":
        "{path}: 쓸 수 없습니다 ({reason}). 공간을 확보하거나 다른 폴더를 고르세요",
    "{path}: cannot write ({reason}); choose a folder you can write to":
        "{path}: 쓸 수 없습니다 ({reason}). 쓰기 권한이 있는 폴더를 고르세요",
    "could not download {file}: {failures}; try another --mirror":
        "{file}을(를) 내려받지 못했습니다: {failures}. 다른 --mirror를 써 보세요",
    "{reason} from {scheme}://{url}": "{scheme}://{url}: {reason}",
    "{reason} from {scheme}://{url}; {more}": "{scheme}://{url}: {reason}; {more}",
    "HTTP error {code} ({reason})": "HTTP 오류 {code} ({reason})",
    "no answer within {seconds} s": "{seconds}초 안에 응답이 없습니다",
    "cannot connect ({reason})": "연결할 수 없습니다 ({reason})",
    "stalled: no data for {seconds} s after {size} bytes":
        "멈췄습니다: {size}바이트를 받은 뒤 {seconds}초 동안 데이터가 오지 않았습니다",
    "truncated: got {done} of {total} bytes": "잘렸습니다: {total}바이트 중 {done}바이트만 받았습니다",
    "connection failed ({reason})": "연결에 실패했습니다 ({reason})",
    "not a valid gzip file ({reason})": "올바른 gzip 파일이 아닙니다 ({reason})",
    "corrupt gzip data ({reason})": "gzip 데이터가 손상되었습니다 ({reason})",
    "sha256 mismatch": "sha256이 맞지 않습니다",
    # what the system and the gzip module say, inside parentheses
    "Permission denied": "권한이 없습니다",
    "No such file or directory": "파일이나 폴더가 없습니다",
    "Not a directory": "폴더가 아닙니다",
    "Is a directory": "폴더입니다",
    "File exists": "이미 있습니다",
    "No space left on device": "디스크 공간이 부족합니다",
    "Read-only file system": "읽기 전용 파일 시스템입니다",
    "Disk quota exceeded": "디스크 할당량을 넘었습니다",
    "Not a gzipped file ({magic})": "gzip 파일이 아닙니다 ({magic})",
    "Compressed file ended before the end-of-stream marker was reached": "압축 데이터가 끝 표시 전에 끝났습니다",
    # - scenario files (optilab.scenario)
    "{file}: file is larger than 1 MB; this is not an optilab scenario":
        "{file}: 파일이 1 MB보다 큽니다. optilab 시나리오 파일이 아닙니다",
    "{file}: no such file": "{file}: 그런 파일이 없습니다",
    "{file}: is a folder, not a scenario file": "{file}: 시나리오 파일이 아니라 폴더입니다",
    "{file}: cannot read it ({reason})": "{file}: 읽을 수 없습니다 ({reason})",
    "{file}: not a text file (not UTF-8); choose an optilab .json scenario":
        "{file}: 텍스트 파일이 아닙니다 (UTF-8이 아님). optilab .json 시나리오를 고르세요",
    "{file}: JSON nested too deeply": "{file}: JSON이 너무 깊게 중첩되었습니다",
    "{file}: not valid JSON (line {line}, column {column}): {reason}; was the file cut short?":
        "{file}: 올바른 JSON이 아닙니다 ({line}번째 줄, {column}번째 칸): {reason}. 파일이 중간에 잘리지 않았는지 확인하세요",
    "{file}: not valid JSON: {reason}; was the file cut short?":
        "{file}: 올바른 JSON이 아닙니다: {reason}. 파일이 중간에 잘리지 않았는지 확인하세요",
    "Expecting value": "값이 있어야 합니다",
    "Expecting ',' delimiter": "쉼표(,)가 있어야 합니다",
    "Expecting ':' delimiter": "쌍점(:)이 있어야 합니다",
    "Expecting property name enclosed in double quotes": "큰따옴표로 감싼 항목 이름이 있어야 합니다",
    "Unterminated string starting at": "문자열이 닫히지 않았습니다",
    "Invalid control character at": "문자열 안에 쓸 수 없는 제어 문자가 있습니다",
    "Invalid \\escape": "올바르지 않은 \\ 이스케이프입니다",
    "Invalid \\uXXXX escape": "올바르지 않은 \\uXXXX 이스케이프입니다",
    "Extra data": "JSON 값 뒤에 다른 데이터가 더 있습니다",
    "Illegal trailing comma before end of object": "객체의 마지막 항목 뒤에는 쉼표를 쓸 수 없습니다",
    "Illegal trailing comma before end of array": "배열의 마지막 값 뒤에는 쉼표를 쓸 수 없습니다",
    "NaN is not allowed": "NaN은 쓸 수 없습니다",
    "Infinity is not allowed": "Infinity는 쓸 수 없습니다",
    "-Infinity is not allowed": "-Infinity는 쓸 수 없습니다",
    "{file}: not an optilab scenario (field 'format' is {value})":
        "{file}: optilab 시나리오가 아닙니다 ('format' 항목이 {value}입니다)",
    "{file}: written by a newer optilab (scenario version {version}); "
    "this one reads up to version {supported} — update optilab to open it":
        "{file}: 더 새로운 optilab이 쓴 파일입니다 (시나리오 버전 {version}). 이 optilab은 버전 {supported}까지만 "
        "읽을 수 있으니, 열려면 optilab을 업데이트하세요",
    # "<file>: field '<path>': <reason>".  The field names are long on purpose: tr_message tries the
    # longest templates first, and this one must come before the generic "{key} must be ..." ones
    # that its reasons (from RunConfig, the optimizers, the formula parser) would otherwise match.
    "{scenario_file_name}: field '{json_path_of_the_field}': {what_is_wrong_with_the_field_value}":
        "{scenario_file_name}: '{json_path_of_the_field}' 항목: {what_is_wrong_with_the_field_value}",
    "(top level)": "(최상위)",
    "must be an object, got {value}": "객체여야 합니다. 입력: {value}",
    "must be a finite number, got {value}": "유한한 수여야 합니다. 입력: {value}",
    "must be a whole number from {low} to {high}, got {value}": "{low}부터 {high}까지의 정수여야 합니다. 입력: {value}",
    "must be text (at most {limit} characters), got {value}": "텍스트(최대 {limit}자)여야 합니다. 입력: {value}",
    "must be a pair [x, y], got {value}": "[x, y] 형태의 두 수여야 합니다. 입력: {value}",
    "must be a whole number ≥ {low}, got {value}": "{low} 이상의 정수여야 합니다. 입력: {value}",
    "must be [xmin, xmax, ymin, ymax], got {value}": "[xmin, xmax, ymin, ymax] 형태의 리스트여야 합니다. 입력: {value}",
    "must be true or false, got {value}": "true 또는 false여야 합니다. 입력: {value}",
    "must be a list of at most {n} optimizers, got {value}":
        "최적화 기법을 최대 {n}개 담은 리스트여야 합니다. 입력: {value}",
    "unknown field; valid ones are: {valid}": "모르는 항목입니다. 쓸 수 있는 항목: {valid}",
    "unknown field; use 'name', or 'formula' with optional 'domain'":
        "모르는 항목입니다. 'name'을 쓰거나, 'formula'와 필요하면 'domain'을 쓰세요",
    "give exactly one of 'name' or 'formula'": "'name'과 'formula' 중 정확히 하나만 주세요",
    "unknown surface {name}; choose one of: {choices}": "모르는 곡면 {name}. 다음 중 하나를 고르세요: {choices}",
    "needs xmin < xmax and ymin < ymax": "xmin < xmax, ymin < ymax 여야 합니다",
    "unknown lesson {name}; choose one of: {choices}": "모르는 수업 {name}. 다음 중 하나를 고르세요: {choices}",
    "{opt} has no such setting; valid ones are: {valid}": "{opt}에는 그런 설정이 없습니다. 쓸 수 있는 설정: {valid}",
    # what a JSON value is, in "got ..."
    "an object": "객체",
    "a list": "리스트",
    "text": "텍스트",
    "true/false": "참/거짓",
    "a number": "수",
    # - training settings (RunConfig) and the names it checks
    "{key} must be a mapping of setting names to values, got {value}":
        "{key} 값은 설정 이름과 값을 짝지은 딕셔너리여야 합니다. 입력: {value}",
    "{key} must be true or false, got {value}": "{key} 값은 true 또는 false여야 합니다. 입력: {value}",
    "{key} must be one of {choices}, got {value}": "{key} 값은 {choices} 중 하나여야 합니다. 입력: {value}",
    "init must be one of {choices} or a non-negative float std, got {value}":
        "init 값은 {choices} 중 하나이거나 0 이상의 표준편차(실수)여야 합니다. 입력: {value}",
    "hidden must be a list of layer sizes, got {value}": "hidden 값은 층 크기의 리스트여야 합니다. 입력: {value}",
    "unknown training setting {name}; valid ones are: {valid}": "모르는 학습 설정 {name}. 쓸 수 있는 설정: {valid}",
    "unknown optimizer {name}; choose one of: {choices}": "모르는 최적화 기법 {name}. 다음 중 하나를 고르세요: {choices}",
    "{opt} has no hyperparameter {key}; valid ones are: {valid}":
        "{opt}에는 하이퍼파라미터 {key}이(가) 없습니다. 쓸 수 있는 것: {valid}",
    # - learning-rate schedules (optilab.optim.schedules)
    "unknown schedule {name}; choose one of: {choices}": "모르는 스케줄 {name}. 다음 중 하나를 고르세요: {choices}",
    "schedule {name} has no setting {key}; valid ones are: {valid}":
        "스케줄 {name}에는 설정 {key}이(가) 없습니다. 쓸 수 있는 설정: {valid}",
    "none": "없음",
    "{key} must be a number, got {value}": "{key} 값은 수여야 합니다. 입력: {value}",
    "{key} must be a finite number, got {value}": "{key} 값은 유한한 수여야 합니다. 입력: {value}",
    "{key} must be in [{low}, {high}], got {value}": "{key} 값은 [{low}, {high}] 범위의 수여야 합니다. 입력: {value}",
    "{key} must be in [{low}, {high}), got {value}": "{key} 값은 [{low}, {high}) 범위의 수여야 합니다. 입력: {value}",
    "{key} must be a whole number ≥ {low}, got {value}": "{key} 값은 {low} 이상의 정수여야 합니다. 입력: {value}",
    "reduce-on-plateau needs the monitored loss: call step(loss)":
        "reduce-on-plateau 스케줄에는 지켜볼 손실 값이 필요합니다. step(loss)처럼 부르세요",
    # - writing files (optilab.fileio): "{path}: what is wrong; what to do"
    "{path}: not a regular file ({kind}); choose a file name":
        "{path}: 일반 파일이 아닙니다 ({kind}). 다른 파일 이름을 고르세요",
    "{path}: a loop of symbolic links; choose a file name":
        "{path}: 심볼릭 링크가 돌고 돕니다. 다른 파일 이름을 고르세요",
    "{folder}: no such folder; choose an existing folder": "{folder}: 그런 폴더가 없습니다. 있는 폴더를 고르세요",
    "{folder}: not a folder; choose an existing folder": "{folder}: 폴더가 아닙니다. 있는 폴더를 고르세요",
    "{folder}: is read-only; choose a folder you can write to":
        "{folder}: 읽기 전용입니다. 쓰기 권한이 있는 폴더를 고르세요",
    "{folder}: permission denied; choose a folder you can write to":
        "{folder}: 권한이 없습니다. 쓰기 권한이 있는 폴더를 고르세요",
    "{path}: not enough space ({reason}); free some space or choose another folder":
        "{path}: 공간이 부족합니다 ({reason}). 공간을 확보하거나 다른 폴더를 고르세요",
    "{path}: cannot write it ({reason}); choose another file name or folder":
        "{path}: 쓸 수 없습니다 ({reason}). 다른 파일 이름이나 폴더를 고르세요",
    "{path}: the file came out empty; try again or choose another format":
        "{path}: 파일이 비어 있습니다. 다시 해 보거나 다른 형식을 고르세요",
    "not a regular file ({kind}); choose a file name": "일반 파일이 아닙니다 ({kind}). 다른 파일 이름을 고르세요",
    "a loop of symbolic links; choose a file name": "심볼릭 링크가 돌고 돕니다. 다른 파일 이름을 고르세요",
    "no such folder; choose an existing folder": "그런 폴더가 없습니다. 있는 폴더를 고르세요",
    "not a folder; choose an existing folder": "폴더가 아닙니다. 있는 폴더를 고르세요",
    "is read-only; choose a folder you can write to": "읽기 전용입니다. 쓰기 권한이 있는 폴더를 고르세요",
    "permission denied; choose a folder you can write to": "권한이 없습니다. 쓰기 권한이 있는 폴더를 고르세요",
    "not enough space ({reason}); free some space or choose another folder":
        "공간이 부족합니다 ({reason}). 공간을 확보하거나 다른 폴더를 고르세요",
    "cannot write it ({reason}); choose another file name or folder":
        "쓸 수 없습니다 ({reason}). 다른 파일 이름이나 폴더를 고르세요",
    "the file came out empty; try again or choose another format": "파일이 비어 있습니다. 다시 해 보거나 다른 형식을 고르세요",
    "a folder": "폴더",
    "a FIFO": "FIFO(이름 있는 파이프)",
    "a character device": "문자 장치",
    "a block device": "블록 장치",
    "a socket": "소켓",
    "a symbolic link": "심볼릭 링크",
    "not a file": "파일이 아님",
    "File too large": "파일이 너무 큽니다",
    "no free temporary name": "임시 파일 이름을 만들 수 없습니다",
    # - scenario files: new checks
    "{file}: not a regular file ({kind}); choose an optilab .json scenario":
        "{file}: 일반 파일이 아닙니다 ({kind}). optilab .json 시나리오를 고르세요",
    "{file}: not a finite number ({token}) at line {line}, column {column}; scenario files hold finite numbers only":
        "{file}: {line}번째 줄 {column}번째 칸의 {token}은(는) 유한한 수가 아닙니다. 시나리오 파일에는 유한한 수만 쓸 수 있습니다",
    "{file}: a number with too many digits ({digits}) at line {line}, column {column}; "
    "scenario numbers have at most {limit} digits":
        "{file}: {line}번째 줄 {column}번째 칸의 수가 너무 깁니다 ({digits}자리). 시나리오의 수는 최대 {limit}자리입니다",
    # - data files: odd files, bombs, caches, downloads
    "{path}: is a {kind}, not a file; {advice}": "{path}: 파일이 아니라 {kind}입니다. {advice}",
    "{path}: is a {kind}, not a folder; {advice}": "{path}: 폴더가 아니라 {kind}입니다. {advice}",
    "{path}: is a broken symbolic link (to {target}); {advice}":
        "{path}: 끊어진 심볼릭 링크입니다 ({target}을(를) 가리킴). {advice}",
    "{path}: implausible header: it declares {shape} ({size} bytes of data), more than an MNIST-format file "
    "holds (at most {max_items} items of {pixels} bytes); {advice}":
        "{path}: 헤더가 이상합니다. {shape}({size}바이트의 데이터)를 선언하는데, MNIST 형식 파일에 들어갈 수 있는 "
        "양(항목 최대 {max_items}개, 각 {pixels}바이트)보다 많습니다. {advice}",
    "{path}: more than {limit} unexpected trailing bytes: header says {expected} bytes of data; {advice}":
        "{path}: 끝에 예상하지 못한 데이터가 {limit}바이트보다 많이 있습니다. 헤더에 따르면 데이터는 {expected}바이트입니다. {advice}",
    "{folder}: not enough memory to load these MNIST files; {advice}":
        "{folder}: 이 MNIST 파일을 읽을 메모리가 부족합니다. {advice}",
    "{path}: cannot delete ({reason}); {advice}": "{path}: 지울 수 없습니다 ({reason}). {advice}",
    "{option} must be a number of seconds greater than 0 and at most {max}, got {value}":
        "{option} 값은 0보다 크고 {max} 이하인 초 단위의 수여야 합니다. 입력: {value}",
    "the server announces {total} bytes, more than a genuine copy can be ({limit} bytes)":
        "서버가 {total}바이트를 보내겠다고 합니다. 진짜 파일은 그보다 작습니다 (최대 {limit}바이트)",
    "the server sent more than {limit} bytes, more than a genuine copy can be":
        "서버가 {limit}바이트보다 많이 보냈습니다. 진짜 파일은 그보다 작습니다",
    "too slow: {rate} B/s over the last {seconds} s, below the minimum of {minimum} B/s":
        "너무 느립니다: 최근 {seconds}초 동안 {rate} B/s로, 최소 {minimum} B/s보다 느립니다",
    "the server did not answer within {seconds} s": "{seconds}초 안에 응답이 없습니다",
    "download stopped by SIGTERM; nothing was kept, run it again to resume":
        "SIGTERM으로 내려받기를 멈췄습니다. 남긴 파일은 없으며, 다시 실행하면 이어서 받습니다",
    "clear-cache only deletes optilab's own cache (see 'optilab mnist path'); drop --data-dir and --sample":
        "clear-cache는 optilab 자신의 캐시만 지웁니다 ('optilab mnist path' 참고). --data-dir와 --sample을 빼세요",
    "Cleared the MNIST cache in {folder} ({size} freed)": "{folder}의 MNIST 캐시를 지웠습니다 ({size} 확보)",
    "folder": "폴더",
    "file": "파일",
    "FIFO (named pipe)": "FIFO(이름 있는 파이프)",
    "device": "장치",
    "socket": "소켓",
    "special file": "특수 파일",
    "fix the link, or run 'optilab mnist download' to fetch a fresh copy":
        "링크를 고치거나 'optilab mnist download'를 실행해 새로 받으세요",
    "replace it with the MNIST file, or run 'optilab mnist download' to fetch a fresh copy":
        "MNIST 파일로 바꾸거나 'optilab mnist download'를 실행해 새로 받으세요",
    "close other programs, or train on the bundled sample (--sample)":
        "다른 프로그램을 닫거나 내장 샘플로 학습하세요 (--sample)",
    "choose a folder you can write to": "쓰기 권한이 있는 폴더를 고르세요",
    # - run settings and memory (optilab.training.config / memory), the CLI's trajectory checks
    "val_fraction {val_fraction} of {n} training images leaves none to train on; "
    "use a larger train_size or a smaller val_fraction":
        "학습 이미지 {n}개에 val_fraction {val_fraction}을(를) 쓰면 학습할 이미지가 남지 않습니다. "
        "train_size를 늘리거나 val_fraction을 줄이세요",
    "this run needs about {need} of memory but only {available} is available; "
    "use fewer/smaller hidden layers or a smaller batch":
        "이 학습에는 메모리가 약 {need} 필요하지만 {available}만 쓸 수 있습니다. 은닉층을 줄이거나 작게 하거나, 배치를 줄이세요",
    "this run needs about {need} of memory but only {available} is available; "
    "use fewer iterations or a smaller train_size or eval_train_size":
        "이 학습에는 메모리가 약 {need} 필요하지만 {available}만 쓸 수 있습니다. "
        "반복 횟수를 줄이거나 train_size 또는 eval_train_size를 줄이세요",
    "{runs} runs in parallel need about {need} of memory but only {available} is available; use fewer parallel jobs":
        "{runs}개 학습을 동시에 하려면 메모리가 약 {need} 필요하지만 {available}만 쓸 수 있습니다. 동시 작업 수를 줄이세요",
    "ran out of memory during training; use fewer/smaller hidden layers or a smaller batch":
        "학습 중에 메모리가 부족해졌습니다. 은닉층을 줄이거나 작게 하거나, 배치를 줄이세요",
    "ran out of memory; close other programs or ask for less (fewer steps, runs or images)":
        "메모리가 부족합니다. 다른 프로그램을 닫거나 덜 요청하세요 (단계, 학습, 이미지 수를 줄이기)",
    "Train accuracy on": "학습 정확도 측정 이미지 수",
    "Measure train accuracy on at most N training images (a fixed subset); 0 = all":
        "학습 정확도를 최대 N개의 학습 이미지(고정된 일부)로 잽니다. 0 = 전부",
    # - the training process (optilab.training.remote)
    "the training process ended unexpectedly ({how}); if it ran out of memory, "
    "try a smaller network or batch size, then start again":
        "학습 프로세스가 예기치 않게 끝났습니다 ({how}). 메모리가 부족했다면 더 작은 신경망이나 배치 크기로 다시 시작하세요",
    "killed by signal {number} ({name})": "시그널 {number}({name})로 강제 종료됨",
    "killed by signal {number}": "시그널 {number}로 강제 종료됨",
    "exit code {code}": "종료 코드 {code}",
    # - the settings file and the window's file flows
    "Ignored a damaged setting {keys} in {path} (reset to default)":
        "{path}의 손상된 설정 {keys}을(를) 무시했습니다 (기본값으로 되돌림)",
    "Ignored damaged settings {keys} in {path} (reset to defaults)":
        "{path}의 손상된 설정 {keys}을(를) 무시했습니다 (기본값으로 되돌림)",
    "Cannot use the settings file {path}: {reason}; remove it to keep settings again":
        "설정 파일 {path}을(를) 쓸 수 없습니다: {reason}. 설정을 다시 저장하려면 이 파일을 지우세요",
    "it is not a regular file": "일반 파일이 아닙니다",
    "it is larger than 1 MB": "1 MB보다 큽니다",
    "it cannot be read": "읽을 수 없습니다",
    "Could not write {path}: {reason}; choose another file or folder":
        "{path}에 쓸 수 없습니다: {reason}. 다른 파일이나 폴더를 고르세요",
    "Could not read {path}: {reason}; choose another file": "{path}을(를) 읽을 수 없습니다: {reason}. 다른 파일을 고르세요",
    # - surface views: arrows, runs leaving the map, the numbers panel
    "−g: steepest descent": "−g: 가장 가파른 내리막",
    "v: velocity": "v: 속도",
    "{title}: left the map at step {k}": "{title}: {k}단계에서 지도를 벗어남",
    "run": "실행",
    "step {k} was made from {point} = {x} with the gradient there, {grad} = {g}:":
        "{k}단계는 {point} = {x}에서 그곳의 기울기 {grad} = {g}로 계산했습니다:",
    # - surface lab: edited lessons, limits, starts, labels made from settings
    "Edited: these settings are no longer the lesson “{title}”, so its caption does not apply. "
    "Choose the lesson again in the list to reload it.":
        "수정됨: 이 설정은 더 이상 수업 “{title}”이(가) 아니므로 그 설명은 맞지 않습니다. "
        "다시 불러오려면 목록에서 그 수업을 다시 고르세요.",
    "at most {max} steps: {asked} became {max}": "최대 {max}단계: {asked}을(를) {max}(으)로 줄였습니다",
    "f is not defined at the default start ({x}, {y}); starting at ({x2}, {y2}) instead.":
        "기본 시작점 ({x}, {y})에서 f가 정의되지 않아 ({x2}, {y2})에서 시작합니다.",
    "f is not defined at the start ({x}, {y}) nor anywhere near it on the map: change the formula.":
        "시작점 ({x}, {y})에서도, 지도 위 그 근처 어디에서도 f가 정의되지 않습니다. 수식을 바꾸세요.",
    "no bias correction": "보정 없음",
    "bias correction": "편향 보정",
    # - experiments: new captions and results
    "diverged: without batch norm weights this large blow up (the expected result)":
        "발산: 배치 정규화 없이 이렇게 큰 가중치는 폭주합니다 (예상된 결과)",
    "With batch norm the net learns at least as well as without it at most initial weight scales, and faster; "
    "without it, small scales never leave about 10 % and the largest ones blow up (diverge).":
        "배치 정규화를 쓰면 대부분의 초기 가중치 규모에서 쓰지 않을 때만큼 이상 잘, 그리고 더 빨리 학습합니다. "
        "쓰지 않으면 작은 규모는 10 % 근처를 벗어나지 못하고 가장 큰 규모는 폭주(발산)합니다.",
    "The best runs all have η ≈ 1e-3…1e-2; their λ are spread over 1e-8…1e-4 (at this size weight decay "
    "matters little). Narrow η there and search again.":
        "가장 좋은 실행은 모두 η ≈ 1e-3…1e-2입니다. λ는 1e-8…1e-4에 흩어져 있습니다 (이 크기에서는 가중치 감소가 "
        "별로 중요하지 않습니다). η를 그 범위로 좁혀 다시 탐색하세요.",
    "Adam with η 0.01: every decay (step, exponential, 1/t, cosine) ends with a lower training loss than "
    "constant η; warm-up starts gently (higher loss at first); reduce-on-plateau halves η when the loss stalls.":
        "η 0.01의 Adam: 모든 감소 스케줄(계단, 지수, 1/t, 코사인)이 고정 η보다 낮은 학습 손실로 끝납니다. "
        "워밍업은 부드럽게 시작하고(처음에는 손실이 더 높음), reduce-on-plateau는 손실이 멈추면 η를 절반으로 줄입니다.",
    # - training lab: batch-norm view, status, data origin, dock note
    "Batch norm": "배치 정규화",
    "paused": "일시 정지",
    "Finished — no-BN diverged at {k} of {n} scales, as expected":
        "완료 — 배치 정규화 없는 실행이 {n}개 규모 중 {k}개에서 예상대로 발산했습니다",
    "no BN diverged": "배치 정규화 없음: 발산",
    "Training accuracy per initial weight std: with batch norm (solid) the net learns at almost every scale; "
    "without it (dashed) most scales stay near 10 % or diverge.":
        "초기 가중치 표준편차별 학습 정확도: 배치 정규화를 쓰면(실선) 거의 모든 규모에서 학습하고, "
        "쓰지 않으면(점선) 대부분의 규모가 10 % 근처에 머물거나 발산합니다.",
    "These settings are for ▶ Start (single runs). The experiment “{title}” ran its own settings: "
    "see each run's label.":
        "이 설정은 ▶ 시작(단일 실행)용입니다. 실험 “{title}”은(는) 자체 설정으로 실행했습니다: 각 실행의 이름을 보세요.",
    "Full MNIST from {folder}: the folder chosen last time.": "{folder}의 전체 MNIST: 지난번에 고른 폴더입니다.",
    "Full MNIST from {folder}: set by the {var} environment variable.":
        "{folder}의 전체 MNIST: 환경 변수 {var}로 지정되었습니다.",
    "Full MNIST from the download cache {folder}.": "내려받기 캐시 {folder}의 전체 MNIST.",
    "Each dot is a trial, coloured by its validation accuracy: see where the bright dots lie, narrow the "
    "ranges there and search again. Click a column title to sort.":
        "점 하나가 시도 하나이고, 색은 검증 정확도입니다. 밝은 점이 있는 곳을 보고 그 범위로 좁혀 다시 탐색하세요. "
        "열 제목을 누르면 정렬됩니다.",
}
